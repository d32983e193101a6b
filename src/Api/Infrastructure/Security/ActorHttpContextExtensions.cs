namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>The request's <see cref="Actor"/>, read from the token once per request.</summary>
public static class ActorHttpContextExtensions
{
    private static readonly object Key = new();

    /// <summary>The caller of <paramref name="context"/>.</summary>
    public static Actor GetActor(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(Key, out var cached) && cached is Actor actor)
        {
            return actor;
        }

        actor = Actor.From(context.User);
        context.Items[Key] = actor;
        return actor;
    }
}
