using GradeBench.Core.Rubrics;
using GradeBench.Web.Features.Adjudication;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>How adjudication, calibration and review write a rated value: a typed value (a number, free text) reads as
/// itself, a choice as its label, both as study content.</summary>
public sealed class AdjudicationTextTests
{
    static readonly IStringLocalizer<AdjudicationText> Words = new StringLocalizer<AdjudicationText>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    [Fact]
    public void TypedValuesReadAsThemselvesAndChoicesAsTheirLabels()
    {
        var text = new Criterion("comment", "Comment", null, CriterionType.Text, false, null, null, [], []);
        var number = new Criterion("minutes", "Minutes", null, CriterionType.Numeric, false, 0, 60, [], []);
        var harm = new Criterion("harm", "Harm", null, CriterionType.Ordinal, true, null, null, [], [new("none", "No harm"), new("severe", "Severe")]);

        Assert.Equal("<span lang=\"en\">Check the &lt;b&gt;dose</span>", AdjudicationText.Value(Words, text, "Check the <b>dose", "en").Value);
        Assert.Equal("<span lang=\"en\">42</span>", AdjudicationText.Value(Words, number, "42", "en").Value);
        Assert.Equal("<span lang=\"en\">Severe</span>", AdjudicationText.Value(Words, harm, "severe", "en").Value);
        Assert.Equal("<span lang=\"en\">unknown</span>", AdjudicationText.Value(Words, harm, "unknown", "en").Value);
    }
}
