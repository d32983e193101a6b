using System.Net.Http.Json;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Load shedding under an overload simulated through the test-only control (<c>PUT /test/shedding</c>). Load is measured
/// per API process, so the control is set on every replica of the cell.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SheddingTests(PlatformFixture platform)
{
    [Fact]
    public async Task Overload_sheds_browsing_first_then_purchases_and_the_api_recovers()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var replicas = await platform.ApiReplicaEndpointsAsync("eu", 2);
        var controls = replicas.Select(r => new HttpClient { BaseAddress = r }).ToList();
        using var control = controls[0];
        var (created, seats) = await http.CreateReservedEventAsync("Shed " + Guid.NewGuid(), 1, 3);
        try
        {
            // medium load: browsing is refused with Retry-After, a purchase still goes through; health answers
            await SetLoadAsync(controls, 0.8);
            using (var browse = await http.GetAsync($"/v1/events/{created.Id()}"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, browse.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(2), browse.Headers.RetryAfter!.Delta);
                Assert.Contains("\"code\":\"overloaded\"", await browse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // a new live-update stream is refused like browsing, as a 503 problem even to a client that accepts only
            // text/event-stream
            using (var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/events/{created.Id()}/stream"))
            {
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var stream = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, stream.StatusCode);
                Assert.NotNull(stream.Headers.RetryAfter);
                Assert.Contains("\"code\":\"overloaded\"", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "shed-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Take(1) }, HttpStatusCode.Created);
            using (var health = await control.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            // high load: purchases are shed too
            await SetLoadAsync(controls, 1.0);
            using (var purchase = await http.PostAsJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "shed-2", seat_ids = seats.Skip(1).Take(1) }, Api.Json))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, purchase.StatusCode);
                Assert.NotNull(purchase.Headers.RetryAfter);
            }

            // reset: everything answers again
            await SetLoadAsync(controls, 0);
            var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
            Assert.Equal(2, (int)detail["available_ticket_cnt"]!);
            await http.GetJsonAsync($"/v1/holds/{hold.Id()}");
        }
        finally
        {
            await SetLoadAsync(controls, null);
            foreach (var c in controls.Skip(1))
            {
                c.Dispose();
            }
        }
    }

    private static async Task SetLoadAsync(IReadOnlyList<HttpClient> controls, double? load)
    {
        foreach (var control in controls)
        {
            using var response = await control.PutAsJsonAsync("/test/shedding", new { simulated_load = load }, Api.Json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
