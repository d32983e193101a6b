namespace TicketAspire.AppHost.Deploy;

/// <summary>What the overlays name besides the cell files: where the images come from.</summary>
/// <param name="ImageRegistry">Registry and path prefix of the images (<c>TicketAspire:Deploy:ImageRegistry</c>, default <c>ticketaspire</c>).</param>
/// <param name="ImageTag">Tag of every image (<c>TicketAspire:Deploy:ImageTag</c>, default <c>latest</c>).</param>
public sealed record OverlayOptions(string ImageRegistry = "ticketaspire", string ImageTag = "latest");
