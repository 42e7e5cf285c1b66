using GradeBench.Core.Reports;
using GradeBench.Core.Results;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.StudyResults;

/// <summary>Core's terms on the results page (coefficient names, conventional readings) in the reader's language, read
/// from the report's own resources (ReportText.resx in Core) through the localizer, so the page and the report name
/// them alike; a term the resources lack reads as Core writes it.</summary>
public static class CoreTerms
{
    public static string Metric(this IStringLocalizer<ReportText> terms, string id) => Or(terms, "Metric_" + id, MetricNames.Of(id));

    public static string MetricShort(this IStringLocalizer<ReportText> terms, string id) =>
        Or(terms, "MetricShort_" + id, MetricNames.Short(id) == MetricNames.Of(id) ? terms.Metric(id) : MetricNames.Short(id));

    /// <summary><see cref="AgreementReading.Of"/>'s "convention: reading", the reading translated and the convention (a
    /// citation) kept.</summary>
    public static string? Reading(this IStringLocalizer<ReportText> terms, IStringLocalizer<ResultsText> text, string? reading)
    {
        var colon = reading?.LastIndexOf(": ", StringComparison.Ordinal) ?? -1;
        if (reading is null || colon < 0) return reading;
        var word = reading[(colon + 2)..];
        return text["ConventionReading", reading[..colon], Or(terms, "Reading_" + word.Replace(' ', '_'), word)];
    }

    static string Or(IStringLocalizer<ReportText> terms, string key, string fallback) =>
        terms[key] is { ResourceNotFound: false } found ? found : fallback;
}
