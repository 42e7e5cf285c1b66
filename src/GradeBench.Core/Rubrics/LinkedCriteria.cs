using System.Text.Json;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Rubrics;

/// <summary>Reads a span label's or note label's <c>criteria</c> (docs/bundle-format.md): the ids of the rubric criteria
/// it bears on, each once, by which span agreement is also reported per criterion.</summary>
static class LinkedCriteria
{
    /// <summary>The ids in order (none when the field is absent), or null after reporting an error.</summary>
    /// <param name="criteria">The ids of the rubric's criteria, an invalid one's included (it has its own error).</param>
    internal static IReadOnlyList<string>? Read(JsonElement label, string path, IReadOnlySet<string> criteria, Action<string, Message> error)
    {
        if (!label.TryGetProperty("criteria", out var list)) return [];
        if (list.ValueKind != JsonValueKind.Array)
        {
            error($"{path}.criteria", new Message("Labels_CriteriaArray"));
            return null;
        }
        var ids = new List<string>();
        var valid = true;
        var n = 0;
        foreach (var item in list.EnumerateArray())
        {
            var p = $"{path}.criteria[{n++}]";
            if (item.ValueKind != JsonValueKind.String) { error(p, new Message("Labels_CriterionId", Message.Verbatim(item.GetRawText()))); valid = false; }
            else if (!criteria.Contains(item.GetString()!)) { error(p, new Message("Labels_NotCriterion", item.GetString())); valid = false; }
            else if (ids.Contains(item.GetString()!)) { error(p, new Message("Labels_CriterionTwice", item.GetString())); valid = false; }
            else ids.Add(item.GetString()!);
        }
        return valid ? ids : null;
    }
}
