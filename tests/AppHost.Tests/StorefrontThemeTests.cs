using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The storefront theme through the running cell (<c>/v1/storefront/theme</c>): globex's integrator sets it and uploads a
/// logo, anyone reads both on globex's host (with ETags), every write is audited; bad colours, white text that would not
/// read on the primary colour, long text, oversized, mislabelled and SVG logos are refused with problem details; only the
/// reseller's own integrator changes it. Each test leaves globex with the default theme.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StorefrontThemeTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string GlobexHost = "globex.eu.localhost";
    private HttpClient _globex = null!;

    public async Task InitializeAsync()
    {
        _globex = await platform.IntegratorClientAsync("eu", "globex");
        await ResetAsync();
    }

    public async Task DisposeAsync()
    {
        await ResetAsync();
        _globex.Dispose();
    }

    [Fact]
    public async Task Integrator_sets_the_theme_and_a_logo_anyone_reads_them_and_every_write_is_audited()
    {
        var saved = await PutJsonAsync(_globex, "/v1/storefront/theme", new
        {
            name = "  Globex Live Tonight ", primary = "#0F766E", secondary = "#7c2d12", tagline = "Every show in town", footer_text = "Globex Live Ltd\nBerlin",
        }, HttpStatusCode.OK);
        Assert.Equal(("Globex Live Tonight", "#0f766e", "#7c2d12", "Every show in town", "Globex Live Ltd\nBerlin"),
            ((string)saved["name"]!, (string)saved["primary"]!, (string)saved["secondary"]!, (string)saved["tagline"]!, (string)saved["footer_text"]!));

        // anonymous, on globex's host, with an ETag and a short cache life; the same ETag answers 304
        using var anonymous = platform.ResellerClient("eu", GlobexHost);
        using (var read = await anonymous.GetAsync("/v1/storefront/theme"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("#0f766e", (string)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["primary"]!);
            Assert.Contains("max-age=5", read.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/storefront/theme") { Headers = { IfNoneMatch = { read.Headers.ETag! } } };
            using var notModified = await anonymous.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        // a PNG logo: stored as sent, served with its type, an ETag and nosniff; the theme links it
        var png = TestPng.Create(120, 40, (0x0f, 0x76, 0x6e));
        var logo = await PutImageAsync(_globex, png, "image/png", HttpStatusCode.OK);
        Assert.Equal(("image/png", png.Length), ((string)logo["content_type"]!, (int)logo["length"]!));
        var url = (string)logo["url"]!;
        Assert.StartsWith("/v1/storefront/theme/logo?v=", url, StringComparison.Ordinal);
        Assert.Equal(url, (string)(await anonymous.GetJsonAsync("/v1/storefront/theme"))["logo"]!["url"]!);
        using (var image = await anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal($"\"{(string)logo["sha256"]!}\"", image.Headers.ETag!.Tag);
            Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        }

        await _globex.DeleteJsonAsync("/v1/storefront/theme/logo", HttpStatusCode.NoContent);
        Assert.Equal("storefront_theme.logo_not_found", (string)(await anonymous.GetJsonAsync(url, HttpStatusCode.NotFound))["code"]!);
        await _globex.DeleteJsonAsync("/v1/storefront/theme/logo", HttpStatusCode.NotFound);
        Assert.Null((await anonymous.GetJsonAsync("/v1/storefront/theme"))["logo"]);

        // the writes in globex's audit log (written in batches)
        await Eventually.GetAsync(async () =>
        {
            var entries = (await _globex.GetJsonAsync("/v1/audit?size=100"))["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
            bool Has(string action, int status) => entries.Any(e => (string)e["action"]! == action && (int?)e["status"] == status);
            return Has("UpdateStorefrontTheme", 200) && Has("SetStorefrontLogo", 200) && Has("RemoveStorefrontLogo", 204) && Has("RemoveStorefrontLogo", 404)
                ? entries : null;
        }, "the theme's writes in globex's audit log");
    }

    [Fact]
    public async Task A_primary_colour_too_light_for_white_text_is_refused_naming_its_contrast_ratio()
    {
        var refused = await PutJsonAsync(_globex, "/v1/storefront/theme", new { primary = "#ffff00" }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("storefront_theme.contrast_too_low", 1.07, 4.5), ((string)refused["code"]!, (double)refused["contrast_ratio"]!, (double)refused["minimum_contrast_ratio"]!));
        Assert.Contains("1.07:1", (string)refused["detail"]!, StringComparison.Ordinal);
        Assert.Contains("1.07:1", (string)refused["errors"]!["primary"]![0]!, StringComparison.Ordinal);

        // #777777 just misses (4.477, shown cut to 4.47, never rounded up to a pass), #767676 just passes (4.54)
        Assert.Equal(4.47, (double)(await PutJsonAsync(_globex, "/v1/storefront/theme", new { primary = "#777777" }, HttpStatusCode.UnprocessableEntity))["contrast_ratio"]!);
        await PutJsonAsync(_globex, "/v1/storefront/theme", new { primary = "#767676" }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_colours_and_text_are_refused_at_their_fields()
    {
        var before = await _globex.GetJsonAsync("/v1/storefront/theme");
        var refused = await PutJsonAsync(_globex, "/v1/storefront/theme", new
        {
            name = new string('n', 81), primary = "blue", secondary = "#12345", tagline = "two\nlines", footer_text = new string('f', 501),
        }, HttpStatusCode.BadRequest);
        Assert.Equal("validation", (string)refused["code"]!);
        Assert.Equal(["footer_text", "name", "primary", "secondary", "tagline"], refused["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        // nothing stored
        Assert.Equal(before.ToJsonString(), (await _globex.GetJsonAsync("/v1/storefront/theme")).ToJsonString());
    }

    [Fact]
    public async Task Logos_that_are_too_large_not_images_or_svg_are_refused()
    {
        var big = TestPng.Create(8, 8, (0, 0, 0)).Concat(new byte[300 * 1024]).ToArray();
        Assert.Equal("request_too_large", (string)(await PutImageAsync(_globex, big, "image/png", HttpStatusCode.RequestEntityTooLarge))["code"]!);

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();
        Assert.Equal("storefront_theme.logo_unsupported_type", (string)(await PutImageAsync(_globex, svg, "image/svg+xml", HttpStatusCode.UnsupportedMediaType))["code"]!);
        await PutImageAsync(_globex, "hello"u8.ToArray(), "text/plain", HttpStatusCode.UnsupportedMediaType);

        // labelled PNG, but a GIF (or an SVG) inside
        var mislabelled = await PutImageAsync(_globex, "GIF89a\x01\x00\x01\x00"u8.ToArray(), "image/png", HttpStatusCode.UnprocessableEntity);
        Assert.Equal("storefront_theme.logo_not_image", (string)mislabelled["code"]!);
        await PutImageAsync(_globex, svg, "image/png", HttpStatusCode.UnprocessableEntity);
        await PutImageAsync(_globex, TestPng.Create(8, 8, (0, 0, 0)), "image/jpeg", HttpStatusCode.UnprocessableEntity);
        Assert.Null((await _globex.GetJsonAsync("/v1/storefront/theme"))["logo"]);
    }

    [Fact]
    public async Task Only_the_resellers_own_integrator_changes_the_theme()
    {
        using var anonymous = platform.ResellerClient("eu", GlobexHost);
        await PutJsonAsync(anonymous, "/v1/storefront/theme", new { primary = "#0f766e" }, HttpStatusCode.Unauthorized);
        await PutImageAsync(anonymous, TestPng.Create(8, 8, (0, 0, 0)), "image/png", HttpStatusCode.Unauthorized);

        using var acmeOnGlobex = platform.ResellerClient("eu", GlobexHost, await platform.IntegratorTokenAsync("eu", "acme"));
        await PutJsonAsync(acmeOnGlobex, "/v1/storefront/theme", new { primary = "#0f766e" }, HttpStatusCode.Forbidden);

        using var reader = platform.ResellerClient("eu", GlobexHost, await platform.IntegratorTokenAsync("eu", "globex", "inventory:read"));
        await PutJsonAsync(reader, "/v1/storefront/theme", new { primary = "#0f766e" }, HttpStatusCode.Forbidden);
        Assert.Null((await anonymous.GetJsonAsync("/v1/storefront/theme"))["primary"]);

        using var nobody = platform.ResellerClient("eu", "unknown.eu.localhost");
        Assert.Equal("tenancy.unresolved", (string)(await nobody.GetJsonAsync("/v1/storefront/theme", HttpStatusCode.NotFound))["code"]!);
        await nobody.GetJsonAsync("/v1/storefront/theme/logo", HttpStatusCode.NotFound);
    }

    private async Task ResetAsync()
    {
        await PutJsonAsync(_globex, "/v1/storefront/theme", new { }, HttpStatusCode.OK);
        using var _ = await _globex.DeleteAsync("/v1/storefront/theme/logo");
    }

    private static async Task<JsonObject> PutJsonAsync(HttpClient http, string path, object body, HttpStatusCode expected)
    {
        using var response = await http.PutAsJsonAsync(path, body, PlatformFixture.Json);
        return await AnswerAsync(response, "PUT " + path, expected);
    }

    private static async Task<JsonObject> PutImageAsync(HttpClient http, byte[] image, string contentType, HttpStatusCode expected)
    {
        // Expect: 100-continue, as a careful client sends an image: a refusal by size comes before the body is sent
        // (without it the server's early answer and close race the client's writing)
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/storefront/theme/logo")
        {
            Content = new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
        };
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        return await AnswerAsync(response, "PUT logo", expected);
    }

    private static async Task<JsonObject> AnswerAsync(HttpResponseMessage response, string what, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (!response.IsSuccessStatusCode && text.Length > 0)
        {
            Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
