using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Applies armed faults to the endpoints named by <see cref="PspOperation"/>: <c>error</c> answers 503 before anything
/// runs; <c>timeout</c> lets the request run (and its idempotent response be stored), then holds the answer for
/// <see cref="PspOptions.TimeoutHold"/> or until the client gives up: the lost-response case.
/// </summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults, TimeProvider time, IOptions<PspOptions> options)
{
    /// <summary>Runs the request with or without a fault.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<PspOperation>();
        var fault = operation is null ? null : faults.TryTake(operation.Name);
        switch (fault)
        {
            case null:
                await next(context);
                return;
            case FaultKind.Error:
                context.Response.Headers.RetryAfter = "1";
                await PspProblems.WriteAsync(context, PspProblems.Codes.SimulatedFault, $"Simulated failure of {operation!.Name}; nothing was done.");
                return;
            default:
                var original = context.Response.Body;
                using (var buffer = new MemoryStream())
                {
                    context.Response.Body = buffer;
                    try
                    {
                        await next(context);
                    }
                    finally
                    {
                        context.Response.Body = original;
                    }

                    try
                    {
                        await Task.Delay(options.Value.TimeoutHold, time, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return; // the client gave up: the response is lost, the work is done
                    }

                    buffer.Position = 0;
                    await buffer.CopyToAsync(original, context.RequestAborted);
                }

                return;
        }
    }
}
