namespace TicketAspire.Web.Infrastructure;

/// <summary>One bar of a console chart: its label, its value, the value as shown and a short form above a column.</summary>
public sealed record ChartBar(string Label, double Value, string ValueText, string ShortText);
