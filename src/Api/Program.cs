using TicketAspire.Api.Apis;
using TicketAspire.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResellerResolution();

app.MapDefaultEndpoints();
app.MapEventsApi();
app.MapHoldsApi();
app.MapOrdersApi();

app.Run();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
