using System.Text;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>The optional <c>adjudication</c> and <c>safety</c> keys of study.json, added to the small valid bundle.</summary>
public sealed class AdjudicationSettingsReaderTests
{
    static readonly string SmallFolder = Corpus.Valid("small");

    static BundleReadResult ReadWith(string settings)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl", "ratings.csv" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        var study = Encoding.UTF8.GetString(files["study.json"]);
        const string anchor = "  \"rubric\": {";
        Assert.Contains(anchor, study);
        files["study.json"] = Encoding.UTF8.GetBytes(study.Replace(anchor, settings + ",\n" + anchor));
        return BundleReader.Parse(files);
    }

    /// <summary>The line of study.json that holds <paramref name="text"/> after the settings were inserted.</summary>
    static int LineOf(string settings, string text)
    {
        var study = File.ReadAllText(Path.Combine(SmallFolder, "study.json")).Replace("  \"rubric\": {", settings + ",\n  \"rubric\": {");
        var lines = study.Split('\n');
        return Array.FindIndex(lines, l => l.Contains(text)) + 1;
    }

    [Fact]
    public void WithoutSettingsEveryCriterionHasItsDefaultAndSevereHarmAlerts()
    {
        var study = BundleReader.Read(SmallFolder).Bundle!.Study;

        Assert.Equal(AdjudicationSettings.Defaults(study.Criteria).Rules, study.Adjudication!.Rules);
        Assert.Equal(["severe"], Assert.Single(study.Adjudication.Safety, t => t.CriterionId == "harm").Values);
    }

    [Fact]
    public void RulesAndSafetyValuesAreTakenFromStudyJson()
    {
        var result = ReadWith("""
              "adjudication": { "rules": { "accuracy": { "min_range": 3 }, "confidence": { "min_range": 20 }, "hallucination": "never", "harm": "any" } },
              "safety": [ { "criterion": "harm", "values": ["severe", "mild"] }, { "criterion": "accuracy", "values": [1, "+1"] } ]
            """);

        Assert.Empty(result.Errors);
        var settings = result.Bundle!.Study.Adjudication!;
        Assert.Equal(DisagreementRule.Range(3), settings.Rules["accuracy"]);
        Assert.Equal(DisagreementRule.Range(20), settings.Rules["confidence"]);
        Assert.Equal(DisagreementRule.Never, settings.Rules["hallucination"]);
        Assert.Equal(DisagreementRule.Any, settings.Rules["error_type"]);
        Assert.Equal([("harm", "severe,mild"), ("accuracy", "1")], settings.Safety.Select(t => (t.CriterionId, string.Join(",", t.Values))));
    }

    [Fact]
    public void AnEmptySafetyListTurnsAlertsOff() =>
        Assert.Empty(ReadWith("\"safety\": []").Bundle!.Study.Adjudication!.Safety);

    [Fact]
    public void EachMistakeIsReportedOnItsLineWithItsField()
    {
        const string settings = """
              "adjudication": {
                "rules": {
                  "nope": "any",
                  "error_type": { "min_range": 1 },
                  "comment": "any",
                  "accuracy": { "min_range": -1 },
                  "harm": "sometimes"
                }
              },
              "safety": [
                { "criterion": "harm", "values": ["deadly"] },
                { "criterion": "comment", "values": ["x"] },
                { "criterion": "accuracy", "values": [] }
              ]
            """;

        var result = ReadWith(settings);

        Assert.Null(result.Bundle);
        Assert.Equal(
        [
            $"study.json:{LineOf(settings, "\"nope\"")}: adjudication.rules.nope: unknown criterion \"nope\"",
            $"study.json:{LineOf(settings, "\"error_type\"")}: adjudication.rules.error_type.min_range: error_type is nominal: a range needs a likert, ordinal or numeric criterion",
            $"study.json:{LineOf(settings, "\"comment\": \"any\"")}: adjudication.rules.comment: comment is a text criterion, which is never adjudicated",
            $"study.json:{LineOf(settings, "\"min_range\": -1")}: adjudication.rules.accuracy.min_range: must be a positive number",
            $"study.json:{LineOf(settings, "\"sometimes\"")}: adjudication.rules.harm: must be \"any\", \"never\" or an object such as {{\"min_range\": 2}}",
            $"study.json:{LineOf(settings, "\"deadly\"")}: safety[0].values[0]: harm: \"deadly\" is not one of none, mild, severe",
            $"study.json:{LineOf(settings, "\"x\"")}: safety[1].criterion: comment is a text criterion: its values cannot raise an alert",
            $"study.json:{LineOf(settings, "\"values\": []")}: safety[2].values: must be a non-empty array of values on the criterion's scale",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void UnknownSettingFieldsAreWarnings()
    {
        var result = ReadWith("""
              "adjudication": { "rule": {} },
              "safety": [ { "criterion": "harm", "values": ["severe"], "level": 3 } ]
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["adjudication.rule", "safety[0].level"], result.Warnings.Select(w => w.Field));
    }
}
