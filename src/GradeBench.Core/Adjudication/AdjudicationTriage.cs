using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Adjudication;

/// <summary>One submitted value: a rater's rating of one criterion of one response.</summary>
public sealed record SubmittedValue(long ResponseId, long RaterId, string CriterionId, string Value);

/// <summary>Why a response needs adjudication: the criteria whose ratings disagree (in rubric order, then its checklist's) and the ratings
/// that reported severe possible harm.</summary>
public sealed record AdjudicationNeed(long ResponseId, IReadOnlyList<string> DisagreeingCriteria, IReadOnlyList<SubmittedValue> SafetyValues)
{
    public bool Disagreement => DisagreeingCriteria.Count > 0;
    public bool Safety => SafetyValues.Count > 0;
}

/// <summary>Decides, from submitted ratings alone, which responses go to adjudication.</summary>
public static class AdjudicationTriage
{
    /// <summary>The responses whose ratings disagree on some criterion under its rule, or that some rating marks with
    /// a safety value, ordered by response id. <paramref name="checklistOf"/> gives a response's case criteria (as
    /// <see cref="CaseCriterion.AsCriterion"/>), judged by <see cref="AdjudicationSettings.Checklist"/> after the rubric
    /// and never a safety value. Values of criteria neither in <paramref name="criteria"/> nor on the response's checklist
    /// are ignored; a rater counts once per criterion (the last value given wins).</summary>
    public static IReadOnlyList<AdjudicationNeed> Decide(IReadOnlyList<Criterion> criteria, AdjudicationSettings settings,
        IEnumerable<SubmittedValue> ratings, Func<long, IReadOnlyList<Criterion>>? checklistOf = null)
    {
        var needs = new List<AdjudicationNeed>();
        var byCriterion = criteria.ToDictionary(c => c.Id);
        foreach (var response in ratings.GroupBy(r => r.ResponseId).OrderBy(g => g.Key))
        {
            var checklist = checklistOf?.Invoke(response.Key) ?? [];
            var values = response.Where(r => byCriterion.ContainsKey(r.CriterionId) || checklist.Any(c => c.Id == r.CriterionId))
                .GroupBy(r => (r.RaterId, r.CriterionId)).Select(g => g.Last()).ToList();
            List<string> ValuesOf(Criterion c) => values.Where(v => v.CriterionId == c.Id).Select(v => v.Value).ToList();
            var disagreeing = criteria.Where(c => settings.RuleFor(c).Disagree(c, ValuesOf(c)))
                .Concat(checklist.Where(c => settings.Checklist.Disagree(c, ValuesOf(c))))
                .Select(c => c.Id)
                .ToList();
            var safety = values.Where(v => byCriterion.ContainsKey(v.CriterionId) && settings.IsSafetyValue(v.CriterionId, v.Value))
                .OrderBy(v => v.RaterId).ThenBy(v => v.CriterionId, StringComparer.Ordinal).ToList();
            if (disagreeing.Count > 0 || safety.Count > 0) needs.Add(new AdjudicationNeed(response.Key, disagreeing, safety));
        }
        return needs;
    }

    /// <summary>Whether consensus values recorded for <paramref name="decided"/> criteria settle an item: every criterion
    /// except free text has one.</summary>
    public static bool IsSettled(IReadOnlyList<Criterion> criteria, IReadOnlySet<string> decided) =>
        criteria.Where(c => c.Type != CriterionType.Text).All(c => decided.Contains(c.Id));
}
