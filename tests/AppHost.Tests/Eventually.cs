namespace TicketAspire.AppHost.Tests;

/// <summary>Waits for something that happens asynchronously (a PSP webhook, the worker) with a deadline.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value, or fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
