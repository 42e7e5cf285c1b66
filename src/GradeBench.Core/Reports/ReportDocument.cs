namespace GradeBench.Core.Reports;

/// <summary>The study report as a list of plain-text blocks, written once and rendered twice (Markdown and HTML), so the
/// two files cannot say different things. Every string is plain text, never markup: each renderer escapes it.</summary>
public abstract record ReportBlock;

public sealed record ReportHeading(int Level, string Text) : ReportBlock;

public sealed record ReportParagraph(string Text) : ReportBlock;

public sealed record ReportList(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>A table whose first column heads its rows.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

/// <summary>One bar; <see cref="Group"/> (a model) heads a run of bars, <see cref="Series"/> (a category) picks its colour.</summary>
public sealed record ReportBar(string Label, double Value, double? Lower, double? Upper, string? Group = null, int Series = 0);

/// <summary>Horizontal bars with 95% interval whiskers on [<see cref="Min"/>, <see cref="Max"/>]: drawn in the HTML only;
/// the table before it carries the same numbers (and is the chart's text alternative), written to
/// <see cref="Decimals"/> decimals in the chart too.</summary>
public sealed record ReportChart(string Title, string Caption, double Min, double Max, IReadOnlyList<ReportBar> Bars,
    IReadOnlyList<string>? Legend = null, int Decimals = 2) : ReportBlock;

/// <summary>One point of a forest plot: a value with its 95% interval, or <see cref="Missing"/> saying why there is none.</summary>
public sealed record ReportPoint(string Label, double? Value, double? Lower, double? Upper, string? Missing);

/// <summary>Points with interval whiskers on [<see cref="Min"/>, 1] and dashed lines at <see cref="Thresholds"/>: drawn in
/// the HTML only; the table before it carries the same numbers.</summary>
public sealed record ReportForestPlot(string Title, string Caption, double Min, IReadOnlyList<double> Thresholds, IReadOnlyList<ReportPoint> Points) : ReportBlock;
