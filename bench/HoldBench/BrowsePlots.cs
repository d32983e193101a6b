using ScottPlot;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// PNG plots of a browse run, the steps laid end to end on one time axis: latency per second (p50 solid, p99 dashed, per
/// request kind, by scheduled second) and answers per second (served and shed). Drawn like <see cref="OnSalePlots"/>:
/// a plot that cannot be drawn is a note, never a failed run.
/// </summary>
public static class BrowsePlots
{
    public const string LatencyFile = "browse-latency.png";
    public const string ThroughputFile = "browse-throughput.png";

    /// <summary>Writes both plots into <paramref name="directory"/>; the paths written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<BrowseStep> steps, string directory, IList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(notes);
        return PlotFiles.Write(directory, notes, (LatencyFile, p => Latency(steps, p)), (ThroughputFile, p => Throughput(steps, p)));
    }

    /// <summary>Where each step starts on the common axis: the steps follow each other with a gap of 2 s.</summary>
    private static double[] Offsets(IReadOnlyList<BrowseStep> steps)
    {
        var offsets = new double[steps.Count];
        for (var i = 1; i < steps.Count; i++)
        {
            offsets[i] = offsets[i - 1] + Math.Max(steps[i - 1].Seconds, Math.Ceiling(steps[i - 1].ElapsedSeconds)) + 2;
        }

        return offsets;
    }

    private static void Boundaries(Plot plot, IReadOnlyList<BrowseStep> steps, double[] offsets)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var line = plot.Add.VerticalLine(offsets[i]);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dotted;
            line.Text = $"{steps[i].Rate:N0}/s";
            line.LabelOppositeAxis = true;
        }
    }

    private static void Latency(IReadOnlyList<BrowseStep> steps, string path)
    {
        var plot = new Plot();
        var offsets = Offsets(steps);
        var kinds = steps[0].Kinds.Select(k => k.Name).ToList();
        for (var k = 0; k < kinds.Count; k++)
        {
            var color = plot.Add.Palette.GetColor(k);
            for (var i = 0; i < steps.Count; i++)
            {
                var points = steps[i].Kinds.ElementAt(k).LatencySeries();
                if (points.Count == 0)
                {
                    continue;
                }

                var xs = points.Select(p => p.Second + 0.5 + offsets[i]).ToArray();
                var p50 = plot.Add.Scatter(xs, points.Select(p => Math.Log10(Math.Max(p.P50, 0.1))).ToArray());
                p50.Color = color;
                p50.MarkerSize = 3;
                var p99 = plot.Add.Scatter(xs, points.Select(p => Math.Log10(Math.Max(p.P99, 0.1))).ToArray());
                p99.Color = color;
                p99.MarkerSize = 0;
                p99.LinePattern = LinePattern.Dashed;
                if (i == 0)
                {
                    p50.LegendText = $"{kinds[k]} p50";
                    p99.LegendText = $"{kinds[k]} p99";
                }
            }
        }

        Boundaries(plot, steps, offsets);
        LogAxis(plot);
        plot.Title("Browse under load: latency from the scheduled send, served answers, p50 (solid) and p99 (dashed) per second");
        plot.XLabel("seconds (rate steps end to end; the dotted lines start each step)");
        plot.YLabel("ms (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 600);
    }

    private static void Throughput(IReadOnlyList<BrowseStep> steps, string path)
    {
        var plot = new Plot();
        var offsets = Offsets(steps);
        var series = new (string Name, Func<BrowseStep, long[]> Counts)[]
        {
            ("served (200)/s", s => Sum(s, t => t.Served)),
            ("shed (503)/s", s => Sum(s, t => t.Shed)),
            ("other answers/s", s => Sum(s, t => t.Other)),
        };
        for (var j = 0; j < series.Length; j++)
        {
            var color = plot.Add.Palette.GetColor(j);
            for (var i = 0; i < steps.Count; i++)
            {
                var counts = series[j].Counts(steps[i]);
                if (counts.All(c => c == 0))
                {
                    continue;
                }

                var line = plot.Add.Scatter(counts.Select((_, s) => s + 0.5 + offsets[i]).ToArray(), counts.Select(c => (double)c).ToArray());
                line.Color = color;
                line.MarkerSize = 3;
                line.LegendText = i == 0 || steps.Take(i).All(s => series[j].Counts(s).All(c => c == 0)) ? series[j].Name : "";
            }

            for (var i = 0; i < steps.Count; i++)
            {
                var target = plot.Add.Line(offsets[i], steps[i].Rate, offsets[i] + steps[i].Seconds, steps[i].Rate);
                target.Color = Colors.Gray;
                target.LinePattern = LinePattern.Dashed;
                target.LegendText = i == 0 && j == 0 ? "target rate" : "";
            }
        }

        Boundaries(plot, steps, offsets);
        plot.Title("Browse under load: answers per second (event pages and seat maps together)");
        plot.XLabel("seconds (rate steps end to end; the dotted lines start each step)");
        plot.YLabel("answers per second");
        plot.Axes.SetLimitsY(0, double.NaN);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 600);
    }

    private static long[] Sum(BrowseStep step, Func<(long[] Served, long[] Shed, long[] Other), long[]> pick)
    {
        var parts = step.Kinds.Select(k => pick(k.Throughput())).ToList();
        var length = parts.Max(p => p.Length);
        return [.. Enumerable.Range(0, length).Select(s => parts.Sum(p => s < p.Length ? p[s] : 0))];
    }

    /// <summary>The values are log10(ms): ticks at 1, 10, 100 … ms with minor ticks between.</summary>
    internal static void LogAxis(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
