using System.Security.Cryptography.X509Certificates;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The certificates of a cell's key ring, each list ordered by <see cref="CellKeyRing.Order"/>: the first signs (or
/// encrypts), the others are published for validation (or kept for decryption). Expired certificates are not in it.
/// </summary>
/// <param name="Signing">Signing certificates, the one that signs first.</param>
/// <param name="Encryption">Encryption certificates, the one that encrypts first.</param>
public sealed record CellKeySet(IReadOnlyList<X509Certificate2> Signing, IReadOnlyList<X509Certificate2> Encryption);
