namespace TicketAspire.Bench.HoldBench;

/// <summary>Draws a mode's plots into a directory; a plot that cannot be drawn becomes a note, not a failed run.</summary>
public static class PlotFiles
{
    /// <summary>Draws each <paramref name="plots"/> file into <paramref name="directory"/>; the paths written.</summary>
    public static IReadOnlyList<string> Write(string directory, IList<string> notes, params (string File, Action<string> Draw)[] plots)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(plots);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (file, draw) in plots)
        {
            var path = Path.Combine(directory, file);
            try
            {
                draw(path);
                written.Add(path);
                BenchRun.Progress($"plot written to {path}");
            }
            catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException
                                           or InvalidOperationException or IOException or NotSupportedException or ArgumentException)
            {
                notes.Add($"plot {file} not drawn: {ex.GetType().Name}: {ex.Message}");
                BenchRun.Progress($"WARNING: plot {file} not drawn: {ex.Message}");
            }
        }

        return written;
    }
}
