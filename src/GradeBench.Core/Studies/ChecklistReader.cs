using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads a case's <c>criteria</c> in cases.jsonl: its checklist (docs/bundle-format.md, "Checklists: criteria
/// of one case"). Errors are placed on the case's line, the field a path into the list (<c>criteria[2].points</c>).</summary>
static class ChecklistReader
{
    static readonly string[] Known = ["id", "text_md", "points", "tags"];

    /// <summary>The valid criteria of the list, in order; <paramref name="invalid"/> receives the ids of those that are
    /// defined but invalid (their errors reported).</summary>
    /// <param name="studyLanguage">The language a text given as a map must hold; null when study.json could not be read
    /// (a map's entries are then checked, not which languages it holds).</param>
    /// <param name="rubricIds">Every criterion id of the rubric, valid or not; null when study.json could not be read.</param>
    internal static List<CaseCriterion> Read(JsonElement list, int line, string? studyLanguage, IReadOnlySet<string>? rubricIds,
        HashSet<string> invalid, BundleReport report)
    {
        var criteria = new List<CaseCriterion>();
        void Error(string path, Message message)
        {
            if (studyLanguage is null && message.Key == "Bundle_StudyLanguageMissing") return;
            report.Error(CasesFile, line, path, message);
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            Error("criteria", new Message("Rubric_CriteriaArray"));
            return criteria;
        }
        if (list.GetArrayLength() > CaseCriterion.MaxPerCase)
            Error("criteria", new Message("Bundle_ChecklistTooLong", CaseCriterion.MaxPerCase, list.GetArrayLength()));
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var c in list.EnumerateArray())
        {
            var p = $"criteria[{n++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                Error(p, new Message("Rubric_CriterionNotObject"));
                continue;
            }
            var id = OptionalString(c, "id");
            var usableId = true;
            if (!IsIdentifier(id)) { Error($"{p}.id", IdRule); usableId = false; }
            else if (!seen.Add(id!)) { Error($"{p}.id", new Message("Rubric_DuplicateCriterionId", id)); usableId = false; }
            else if (rubricIds?.Contains(id!) == true) { Error($"{p}.id", new Message("Bundle_CaseCriterionIsRubric", id)); usableId = false; }
            var (text, texts) = StudyTextReader.Read(c, "text_md", $"{p}.text_md", studyLanguage ?? "", new Message("Bundle_RequiredNonEmptyString"),
                allowEmpty: false, Error);
            var valid = text is not null;
            var points = 0;
            if (!c.TryGetProperty("points", out var given) || given.ValueKind != JsonValueKind.Number || !given.TryGetInt32(out points)
                || points == 0 || Math.Abs(points) > CaseCriterion.MaxPoints)
            {
                Error($"{p}.points", new Message("Bundle_CriterionPoints", -CaseCriterion.MaxPoints, CaseCriterion.MaxPoints));
                valid = false;
            }
            var tags = new List<string>();
            if (c.TryGetProperty("tags", out var t))
            {
                if (t.ValueKind == JsonValueKind.Array && t.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(x.GetString())))
                    tags.AddRange(t.EnumerateArray().Select(x => x.GetString()!));
                else { Error($"{p}.tags", new Message("Bundle_NonEmptyStrings")); valid = false; }
            }
            foreach (var property in c.EnumerateObject())
                if (!Known.Contains(property.Name)) report.Warn(CasesFile, line, $"{p}.{property.Name}", new Message("Bundle_UnknownField"));
            if (!usableId) continue;
            if (valid) criteria.Add(new CaseCriterion(id!, text!, points, tags) { TextTranslations = texts });
            else invalid.Add(id!);
        }
        return criteria;
    }
}
