using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads what study.json says of a side-by-side study (docs/bundle-format.md, "Side-by-side (pairwise)
/// studies"): the <c>pairwise</c> object (axes, reason tags, pairs, raters per pair) and <c>adjudication.pairwise</c>,
/// and refuses what such a study may not have (rubric criteria, raters_per_response, human_subset, adjudication rules or
/// safety alerts naming criteria). Texts may be given in several languages (<see cref="StudyTextReader"/>).</summary>
static class PairwiseSettingsReader
{
    public const int MaxAxes = 20, MaxReasons = 30;

    /// <summary>The design, its invalid axes and reasons left out; <c>Usable</c> is false when the <c>pairwise</c> object
    /// has any error, so that votes.csv is not checked against a design that is not what the bundle means.
    /// <paramref name="lineOf"/> places a path on its line, for a listed pair checked once responses.jsonl is read.</summary>
    internal static (PairwiseDesign Design, bool Usable) Read(JsonElement root, string language, Func<string, int> lineOf,
        Action<string, Message> error, Action<string, Message> warn)
    {
        Refuse(root, error, warn);
        var adjudicate = ReadAdjudication(root, error);
        var errors = 0;
        void Error(string path, Message message)
        {
            errors++;
            error(path, message);
        }
        if (!root.TryGetProperty("pairwise", out var pairwise) || pairwise.ValueKind != JsonValueKind.Object)
        {
            Error("pairwise", new Message("Bundle_RubricMissing"));
            return (new PairwiseDesign([], [], null, PairwiseDesign.DefaultRatersPerPair) { Adjudicate = adjudicate }, false);
        }
        foreach (var property in pairwise.EnumerateObject())
            if (property.Name is not ("axes" or "reasons" or "pairs" or "raters_per_pair")) warn($"pairwise.{property.Name}", new Message("Bundle_UnknownField"));

        var axes = new List<PairwiseAxis>();
        ReadList(pairwise, "axes", required: true, MaxAxes, new Message("Bundle_AxesArray", MaxAxes), Error, (item, p, id) =>
        {
            Warn(item, p, ["id", "question", "help_md", "both_unacceptable"], warn);
            var (question, questions) = StudyTextReader.Read(item, "question", $"{p}.question", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, Error);
            var valid = question is not null;
            string? help = null;
            var helps = Translations.None;
            if (item.TryGetProperty("help_md", out _))
            {
                (help, helps) = StudyTextReader.Read(item, "help_md", $"{p}.help_md", language, new Message("Bundle_MarkdownString"), allowEmpty: true, Error);
                valid &= help is not null;
            }
            var bothBad = Flag(item, "both_unacceptable", $"{p}.both_unacceptable", false, Error);
            if (valid) axes.Add(new PairwiseAxis(id, question!, help, bothBad) { QuestionTranslations = questions, HelpTranslations = helps });
        });
        var reasons = new List<PairwiseReasonTag>();
        ReadList(pairwise, "reasons", required: false, MaxReasons, new Message("Bundle_ReasonsArray", MaxReasons), Error, (item, p, id) =>
        {
            Warn(item, p, ["id", "label"], warn);
            var (label, labels) = StudyTextReader.Read(item, "label", $"{p}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, Error);
            if (label is not null) reasons.Add(new PairwiseReasonTag(id, label) { LabelTranslations = labels });
        });

        int? perCase = null;
        List<ListedPair>? listed = null;
        if (pairwise.TryGetProperty("pairs", out var pairs))
        {
            if (pairs.ValueKind == JsonValueKind.String && pairs.GetString() == "all") { }
            else if (pairs.ValueKind == JsonValueKind.Object && pairs.TryGetProperty("per_case", out var n))
            {
                foreach (var property in pairs.EnumerateObject())
                    if (property.Name != "per_case") warn($"pairwise.pairs.{property.Name}", new Message("Bundle_UnknownField"));
                if (n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count >= 1) perCase = count;
                else Error("pairwise.pairs.per_case", new Message("Bundle_PositiveInteger"));
            }
            else if (pairs.ValueKind == JsonValueKind.Array && pairs.GetArrayLength() > 0)
            {
                listed = [];
                var at = 0;
                foreach (var pair in pairs.EnumerateArray())
                {
                    var p = $"pairwise.pairs[{at++}]";
                    if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String))
                        listed.Add(new ListedPair(pair[0].GetString()!, pair[1].GetString()!) { Line = lineOf(p) });
                    else Error(p, new Message("Bundle_ListedPairForm"));
                }
            }
            else Error("pairwise.pairs", new Message("Bundle_PairsForm"));
        }
        var ratersPerPair = PairwiseDesign.DefaultRatersPerPair;
        if (pairwise.TryGetProperty("raters_per_pair", out var rpp))
        {
            if (rpp.ValueKind == JsonValueKind.Number && rpp.TryGetInt32(out var k) && k >= 1) ratersPerPair = k;
            else Error("pairwise.raters_per_pair", new Message("Bundle_PositiveInteger"));
        }
        return (new PairwiseDesign(axes, reasons, perCase, ratersPerPair) { Adjudicate = adjudicate, ListedPairs = listed }, errors == 0);
    }

    /// <summary>Reads <c>pairwise.{name}</c>, a list of objects with unique identifiers, calling <paramref name="item"/>
    /// for each with its path and id.</summary>
    static void ReadList(JsonElement pairwise, string name, bool required, int max, Message rule, Action<string, Message> error,
        Action<JsonElement, string, string> item)
    {
        var path = $"pairwise.{name}";
        if (!pairwise.TryGetProperty(name, out var list))
        {
            if (required) error(path, rule);
            return;
        }
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > max || (required && list.GetArrayLength() == 0))
        {
            error(path, rule);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var p = $"{path}[{n++}]";
            if (entry.ValueKind != JsonValueKind.Object) { error(p, new Message("Bundle_MustBeObject")); continue; }
            var id = OptionalString(entry, "id");
            if (!IsIdentifier(id)) error($"{p}.id", IdRule);
            else if (!seen.Add(id!)) error($"{p}.id", new Message("Bundle_ListedTwice", id));
            else item(entry, p, id!);
        }
    }

    static void Warn(JsonElement item, string path, string[] known, Action<string, Message> warn)
    {
        foreach (var property in item.EnumerateObject())
            if (!known.Contains(property.Name)) warn($"{path}.{property.Name}", new Message("Bundle_UnknownField"));
    }

    /// <summary>The fields of a study of single answers, refused where they are; an empty list of criteria, rules or
    /// alerts names nothing and is accepted (bundle.zip writes them so).</summary>
    static void Refuse(JsonElement root, Action<string, Message> error, Action<string, Message> warn)
    {
        if (root.TryGetProperty("raters_per_response", out _)) error("raters_per_response", new Message("Bundle_PairwiseRatersPerPair"));
        if (root.TryGetProperty("human_subset", out _)) error("human_subset", new Message("Bundle_NotInPairwise"));
        if (root.TryGetProperty("rubric", out var rubric) && rubric.ValueKind == JsonValueKind.Object && rubric.TryGetProperty("criteria", out var criteria)
            && (criteria.ValueKind != JsonValueKind.Array || criteria.GetArrayLength() > 0))
            error("rubric.criteria", new Message("Bundle_PairwiseNoCriteria"));
        if (root.TryGetProperty("safety", out var safety))
        {
            if (safety.ValueKind != JsonValueKind.Array) error("safety", new Message("Bundle_SafetyNotArray"));
            else for (var i = 0; i < safety.GetArrayLength(); i++) error($"safety[{i}]", new Message("Bundle_PairwiseNoSafety"));
        }
        if (root.TryGetProperty("adjudication", out var adjudication) && adjudication.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in adjudication.EnumerateObject())
                if (property.Name is not ("rules" or "pairwise")) warn($"adjudication.{property.Name}", new Message("Bundle_UnknownField"));
            if (adjudication.TryGetProperty("rules", out var rules))
            {
                if (rules.ValueKind != JsonValueKind.Object) error("adjudication.rules", new Message("Bundle_RulesNotObject"));
                else foreach (var rule in rules.EnumerateObject()) error($"adjudication.rules.{rule.Name}", new Message("Bundle_PairwiseNoRules"));
            }
        }
    }

    /// <summary><c>adjudication.pairwise</c>: whether a pair whose raters disagree on an axis goes to adjudication.</summary>
    static bool ReadAdjudication(JsonElement root, Action<string, Message> error)
    {
        if (!root.TryGetProperty("adjudication", out var adjudication)) return true;
        if (adjudication.ValueKind != JsonValueKind.Object)
        {
            error("adjudication", new Message("Bundle_MustBeObject"));
            return true;
        }
        if (!adjudication.TryGetProperty("pairwise", out var rule)) return true;
        if (rule.ValueKind == JsonValueKind.String && rule.GetString() is "any" or "never") return rule.GetString() == "any";
        error("adjudication.pairwise", new Message("Bundle_PairwiseRuleGot", Describe(adjudication, "pairwise")));
        return true;
    }
}
