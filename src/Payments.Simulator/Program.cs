using TicketAspire.Payments.Simulator.Apis;
using TicketAspire.Payments.Simulator.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPaymentsSimulator();

var app = builder.Build();

app.UsePaymentsSimulator();
app.MapDefaultEndpoints();
app.MapPaymentIntentsApi();
app.MapRefundsApi();
app.MapTestApi();
app.MapCardPage();

app.Run();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
