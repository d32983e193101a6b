using TicketAspire.Provisioner;

// The cell's provisioner: onboards resellers at run time (a database created and migrated, its login role, its own
// Redis-protocol server, its identity clients, its catalog entry) and offboards them (export, then drop), working off the
// jobs the operator API writes into the cell catalog. The only long-running service with the Postgres superuser.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProvisioning();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
