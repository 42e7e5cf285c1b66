using System.Text.Json;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads the <c>adjudication</c> and <c>safety</c> parts of study.json.</summary>
static class AdjudicationSettingsReader
{
    /// <summary>The defaults for every criterion, changed by <c>adjudication.rules</c> and <c>safety</c> where given.
    /// Criteria in <paramref name="invalid"/> are already reported and not checked again.</summary>
    internal static AdjudicationSettings Read(JsonElement root, List<Criterion> criteria, HashSet<string> invalid,
        Action<string, Message> error, Action<string, Message> warn)
    {
        var byId = criteria.ToDictionary(c => c.Id);
        var rules = criteria.ToDictionary(c => c.Id, DisagreementRule.Default);
        var checklist = DisagreementRule.Any;
        if (root.TryGetProperty("adjudication", out var adjudication))
        {
            if (adjudication.ValueKind != JsonValueKind.Object) error("adjudication", new Message("Bundle_MustBeObject"));
            else
            {
                foreach (var property in adjudication.EnumerateObject())
                    if (property.Name is not ("rules" or "checklist")) warn($"adjudication.{property.Name}", new Message("Bundle_UnknownField"));
                if (adjudication.TryGetProperty("checklist", out var given)) checklist = ReadChecklistRule(given, error);
                if (adjudication.TryGetProperty("rules", out var list))
                {
                    if (list.ValueKind != JsonValueKind.Object) error("adjudication.rules", new Message("Bundle_RulesNotObject"));
                    else foreach (var rule in list.EnumerateObject())
                    {
                        var path = $"adjudication.rules.{rule.Name}";
                        if (invalid.Contains(rule.Name)) continue;
                        if (!byId.TryGetValue(rule.Name, out var criterion)) error(path, new Message("Value_UnknownCriterion", rule.Name));
                        else if (ReadRule(rule.Value, criterion, path, error, warn) is { } parsed) rules[criterion.Id] = parsed;
                    }
                }
            }
        }
        var safety = root.TryGetProperty("safety", out var s) ? ReadSafety(s, byId, invalid, error, warn) : AdjudicationSettings.DefaultSafety(criteria);
        return new AdjudicationSettings(rules, safety) { Checklist = checklist };
    }

    /// <summary><c>adjudication.checklist</c>: the rule of every case criterion, <c>"any"</c> or <c>"never"</c>.</summary>
    static DisagreementRule ReadChecklistRule(JsonElement rule, Action<string, Message> error)
    {
        if (rule.ValueKind == JsonValueKind.String && rule.GetString() is "any" or "never")
            return rule.GetString() == "never" ? DisagreementRule.Never : DisagreementRule.Any;
        error("adjudication.checklist", new Message("Bundle_ChecklistRule"));
        return DisagreementRule.Any;
    }

    static DisagreementRule? ReadRule(JsonElement rule, Criterion criterion, string path, Action<string, Message> error, Action<string, Message> warn)
    {
        switch (rule.ValueKind)
        {
            case JsonValueKind.String when rule.GetString() == "never":
                return DisagreementRule.Never;
            case JsonValueKind.String when rule.GetString() == "any":
                if (criterion.Type != CriterionType.Text) return DisagreementRule.Any;
                error(path, new Message("Bundle_TextNeverAdjudicated", criterion.Id));
                return null;
            case JsonValueKind.Object:
                foreach (var property in rule.EnumerateObject())
                    if (property.Name != "min_range") warn($"{path}.{property.Name}", new Message("Bundle_UnknownField"));
                if (!rule.TryGetProperty("min_range", out var range) || range.ValueKind != JsonValueKind.Number
                    || !range.TryGetDouble(out var minRange) || !double.IsFinite(minRange) || minRange <= 0)
                {
                    error($"{path}.min_range", new Message("Bundle_PositiveNumber"));
                    return null;
                }
                if (DisagreementRule.IsOrdered(criterion.Type)) return DisagreementRule.Range(minRange);
                error($"{path}.min_range", new Message("Bundle_RangeNeedsOrder", criterion.Id, criterion.TypeName));
                return null;
            default:
                error(path, new Message("Bundle_RuleForm"));
                return null;
        }
    }

    static List<SafetyTrigger> ReadSafety(JsonElement safety, Dictionary<string, Criterion> criteria, HashSet<string> invalid,
        Action<string, Message> error, Action<string, Message> warn)
    {
        var triggers = new List<SafetyTrigger>();
        if (safety.ValueKind != JsonValueKind.Array)
        {
            error("safety", new Message("Bundle_SafetyNotArray"));
            return triggers;
        }
        var n = 0;
        foreach (var entry in safety.EnumerateArray())
        {
            var p = $"safety[{n++}]";
            if (entry.ValueKind != JsonValueKind.Object) { error(p, new Message("Bundle_SafetyEntryNotObject")); continue; }
            foreach (var property in entry.EnumerateObject())
                if (property.Name is not ("criterion" or "values")) warn($"{p}.{property.Name}", new Message("Bundle_UnknownField"));
            var id = OptionalString(entry, "criterion");
            if (id is not null && invalid.Contains(id)) continue;
            if (id is null || !criteria.TryGetValue(id, out var criterion)) { error($"{p}.criterion", new Message("Bundle_UnknownCriterionGot", Describe(entry, "criterion"))); continue; }
            if (criterion.Type == CriterionType.Text) { error($"{p}.criterion", new Message("Bundle_TextNoAlert", id)); continue; }
            if (triggers.Any(t => t.CriterionId == id)) { error($"{p}.criterion", new Message("Bundle_ListedTwice", id)); continue; }
            if (!entry.TryGetProperty("values", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                error($"{p}.values", new Message("Bundle_SafetyValues"));
                continue;
            }
            var values = new List<string>();
            var (m, valid) = (0, true);
            foreach (var item in list.EnumerateArray())
            {
                var q = $"{p}.values[{m++}]";
                var value = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
                    _ => null,
                };
                if (value is null) { error(q, new Message("Bundle_MustBeString")); valid = false; }
                else if (criterion.CheckValue(value) is { } problem) { error(q, new Message("Bundle_CriterionValue", id, problem)); valid = false; }
                else if (!values.Contains(criterion.Canonical(value))) values.Add(criterion.Canonical(value));
            }
            if (valid) triggers.Add(new SafetyTrigger(id, values));
        }
        return triggers;
    }
}
