using System.Globalization;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Reports;

/// <summary>Terms the report takes from data (metric ids, levels, states, language codes, scales) in the report's
/// language. English reads them where they are defined (<see cref="MetricNames"/>, <see cref="RubricScale"/>,
/// <see cref="AgreementReading"/>), so the English report stays as it was; Chinese reads <c>ReportText.zh-CN.resx</c>,
/// falling back to the English term for an id it does not know.</summary>
static class ReportTerms
{
    public static string Metric(this ReportText t, string id) => t.Or("Metric_" + id, MetricNames.Of(id));

    public static string MetricShort(this ReportText t, string id) => t.Or("MetricShort_" + id, t.Metric(id));

    public static string Level(this ReportText t, string level) => t.Or("Level_" + level, level);

    public static string State(this ReportText t, string state) => t.Or("State_" + state, state);

    public static string LanguageName(this ReportText t, string code) => t.Or("Language_" + code, code);

    public static string TypeName(this ReportText t, Criterion c) => t.Or("Type_" + c.TypeName, c.TypeName);

    /// <summary><see cref="AgreementReading.Of"/>'s "&lt;convention&gt;: &lt;reading&gt;" with the reading translated.</summary>
    public static string? Reading(this ReportText t, string? reading)
    {
        if (reading is null || !t.IsChinese) return reading;
        var colon = reading.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return reading;
        var word = reading[(colon + 2)..];
        return $"{reading[..colon]}：{t.Or("Reading_" + word.Replace(' ', '_'), word)}";
    }

    /// <summary>A category's name in tables: Chinese yes/no for a binary criterion, else <see cref="RubricScale.Describe"/>.</summary>
    public static string Category(this ReportText t, Criterion c, string? value) =>
        t.IsChinese && c.Type == CriterionType.Binary && value is "true" or "false"
            ? t[value == "true" ? "CategoryYes" : "CategoryNo"]
            : RubricScale.Describe(c, value);

    /// <summary><see cref="RubricScale.Summary"/> in the report's language.</summary>
    public static string Scale(this ReportText t, Criterion c) => !t.IsChinese ? RubricScale.Summary(c) : c.Type switch
    {
        CriterionType.Likert => c.Anchors.Count == 0 ? Likert(t, c)
            : t["Scale_WithAnchors", Likert(t, c), string.Join(t["ItemSeparator"], c.Anchors.Select(a => t["Scale_Anchor", a.Value, a.Label]))],
        CriterionType.Numeric => c.Min is null && c.Max is null ? t["Scale_Numeric"] : t["Scale_NumericRange", Bound(c.Min), Bound(c.Max)],
        CriterionType.Ordinal => t["Scale_Ordinal", string.Join(" < ", c.Options.Select(o => o.Label))],
        CriterionType.Nominal => t["Scale_Nominal", t.List(c.Options.Select(o => o.Label))],
        CriterionType.Binary => t["Scale_Binary"],
        _ => t["Scale_Text"],
    };

    /// <summary><see cref="RubricScale.ShortSummary"/> in the report's language.</summary>
    public static string ShortScale(this ReportText t, Criterion c) => !t.IsChinese ? RubricScale.ShortSummary(c) : c.Type switch
    {
        CriterionType.Likert => Likert(t, c),
        CriterionType.Ordinal => t["Scale_OrdinalShort", c.Options.Count],
        CriterionType.Nominal => t["Scale_NominalShort", c.Options.Count],
        _ => t.Scale(c),
    };

    static string Likert(ReportText t, Criterion c) => t["Scale_Likert", Bound(c.Min), Bound(c.Max)];

    // As RubricScale writes a bound: 0.5, never 0,5.
    static string Bound(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "…";
}
