using GradeBench.Core.Messages;

namespace GradeBench.Core.Rubrics;

/// <summary>Values for some criteria of a rubric, as given and as they will be stored: keyed by criterion database id,
/// in canonical form, null where the value was cleared. Problems are keyed by criterion id, one message each.</summary>
public sealed record CheckedValues(IReadOnlyList<(long CriterionId, string? Value)> Changes, Dictionary<string, Message> Problems);

/// <summary>The one check of submitted values against a rubric (grading, calibration, gold references): every key is
/// a criterion of the study, every value is on its criterion's scale; blank means "clear".</summary>
public static class RubricValues
{
    /// <summary>The problem of a required criterion left without a value.</summary>
    public static readonly Message Required = new("Value_Required");

    /// <param name="refuse">An extra rule for a criterion: a message to refuse it, or null.</param>
    public static CheckedValues Check(IReadOnlyList<(long Id, Criterion Criterion)> criteria, IReadOnlyDictionary<string, string?> values,
        Func<Criterion, Message?>? refuse = null)
    {
        var problems = new Dictionary<string, Message>();
        var changes = new List<(long CriterionId, string? Value)>();
        foreach (var (slug, raw) in values)
        {
            var match = criteria.FirstOrDefault(c => c.Criterion.Id == slug);
            if (match.Criterion is null) { problems[slug] = new Message("Value_NoSuchCriterion"); continue; }
            if (refuse?.Invoke(match.Criterion) is { } refusal) { problems[slug] = refusal; continue; }
            var value = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (value is not null && match.Criterion.CheckValue(value) is { } problem) { problems[slug] = problem; continue; }
            changes.Add((match.Id, value is null ? null : match.Criterion.Canonical(value)));
        }
        return new CheckedValues(changes, problems);
    }

    /// <summary>Adds <see cref="Required"/> for each required criterion that has no value among <paramref name="present"/>.</summary>
    public static void RequireAll(IReadOnlyList<(long Id, Criterion Criterion)> criteria, IReadOnlySet<long> present, Dictionary<string, Message> problems)
    {
        foreach (var (id, criterion) in criteria)
            if (criterion.Required && !present.Contains(id)) problems.TryAdd(criterion.Id, Required);
    }
}
