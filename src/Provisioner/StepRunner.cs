using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Provisioner;

/// <summary>Runs a job's steps one by one, recording each (running, then completed or failed) in the catalog as it goes.</summary>
public sealed class StepRunner(ProvisioningJobs jobs, TimeProvider time)
{
    /// <summary>Runs <paramref name="step"/> as <paramref name="name"/>; its result is the step's detail. A step of an earlier attempt is replaced.</summary>
    public async Task RunAsync(ProvisioningJob job, string name, Func<CancellationToken, Task<string?>> step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(step);
        job.Steps.RemoveAll(s => s.Name == name);
        var record = new ProvisioningStep(name, "running", time.GetUtcNow());
        job.Steps.Add(record);
        await jobs.SaveStepsAsync(job, ct);
        try
        {
            var detail = await step(ct);
            job.Steps[^1] = record with { State = "completed", CompletedAt = time.GetUtcNow(), Detail = detail };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            job.Steps[^1] = record with { State = "failed", CompletedAt = time.GetUtcNow(), Detail = ex.Message };
            await jobs.SaveStepsAsync(job, CancellationToken.None);
            throw;
        }

        await jobs.SaveStepsAsync(job, ct);
    }
}
