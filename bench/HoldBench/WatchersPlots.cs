using ScottPlot;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// PNG plots of a live-updates run: delivery latency per second of arrival (p50, p99, max over the (watcher, change)
/// pairs that arrived in that second) and the sale's changes per second with the deliveries per second. Drawn like
/// <see cref="OnSalePlots"/>: a plot that cannot be drawn is a note, never a failed run.
/// </summary>
public static class WatchersPlots
{
    public const string LatencyFile = "watchers-latency.png";
    public const string ThroughputFile = "watchers-throughput.png";

    /// <summary>Writes both plots into <paramref name="directory"/>; the paths written.</summary>
    public static IReadOnlyList<string> Write(LiveSale sale, WatchersDelivery delivery, string directory, IList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(sale);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(notes);
        return PlotFiles.Write(directory, notes, (LatencyFile, p => Latency(delivery, p)), (ThroughputFile, p => Throughput(sale, delivery, p)));
    }

    private static void Latency(WatchersDelivery delivery, string path)
    {
        var plot = new Plot();
        var points = delivery.Series;
        var xs = points.Select(p => p.Second + 0.5).ToArray();
        foreach (var (name, pick, pattern, marker) in new (string, Func<(int Second, double P50, double P99, double Max, long Count), double>, LinePattern, float)[]
                 {
                     ("p50", p => p.P50, LinePattern.Solid, 3),
                     ("p99", p => p.P99, LinePattern.Dashed, 0),
                     ("max", p => p.Max, LinePattern.Dotted, 0),
                 })
        {
            var line = plot.Add.Scatter(xs, points.Select(p => Math.Log10(Math.Max(pick(p), 0.1))).ToArray());
            line.LegendText = $"delivery {name}";
            line.LinePattern = pattern;
            line.MarkerSize = marker;
        }

        BrowsePlots.LogAxis(plot);
        plot.Title($"Live updates: delivery latency per second of arrival, {delivery.PairsDelivered:N0} (watcher, change) pairs");
        plot.XLabel("seconds since the sale opened (by the second the watcher received the event)");
        plot.YLabel("ms from the bench's 201/200 (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 600);
    }

    private static void Throughput(LiveSale sale, WatchersDelivery delivery, string path)
    {
        var plot = new Plot();
        foreach (var series in new[] { sale.HeldChanges, sale.SoldChanges })
        {
            var counts = series.PerSecond();
            if (counts.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(counts.Select((_, s) => s + 0.5).ToArray(), counts.Select(c => (double)c).ToArray());
            line.LegendText = series.Name + " (changes, left axis)";
            line.MarkerSize = 3;
        }

        var deliveries = plot.Add.Scatter(delivery.Series.Select(p => p.Second + 0.5).ToArray(), delivery.Series.Select(p => p.Count / 1000.0).ToArray());
        deliveries.LegendText = "deliveries/s to all watchers, thousands (right axis)";
        deliveries.MarkerSize = 3;
        deliveries.Axes.YAxis = plot.Axes.Right;
        plot.Title("Live updates: seat changes per second (bench's 201/200) and deliveries per second");
        plot.XLabel("seconds since the sale opened");
        plot.YLabel("seat changes per second");
        plot.Axes.Right.Label.Text = "thousand (watcher, change) deliveries per second";
        plot.Axes.SetLimitsY(0, double.NaN);
        plot.Axes.SetLimitsY(0, double.NaN, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 600);
    }
}
