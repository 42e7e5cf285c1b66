using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Adjudication;

/// <summary>One submitted value: a rater's rating of one criterion of one response.</summary>
public sealed record SubmittedValue(long ResponseId, long RaterId, string CriterionId, string Value);

/// <summary>Why a response needs adjudication: the criteria whose ratings disagree (in rubric order) and the ratings
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
    /// a safety value, ordered by response id. Values of criteria not in <paramref name="criteria"/> are ignored; a
    /// rater counts once per criterion (the last value given wins).</summary>
    public static IReadOnlyList<AdjudicationNeed> Decide(IReadOnlyList<Criterion> criteria, AdjudicationSettings settings,
        IEnumerable<SubmittedValue> ratings)
    {
        var needs = new List<AdjudicationNeed>();
        var byCriterion = criteria.ToDictionary(c => c.Id);
        foreach (var response in ratings.Where(r => byCriterion.ContainsKey(r.CriterionId)).GroupBy(r => r.ResponseId).OrderBy(g => g.Key))
        {
            var values = response.GroupBy(r => (r.RaterId, r.CriterionId)).Select(g => g.Last()).ToList();
            var disagreeing = criteria
                .Where(c => settings.RuleFor(c).Disagree(c, values.Where(v => v.CriterionId == c.Id).Select(v => v.Value).ToList()))
                .Select(c => c.Id)
                .ToList();
            var safety = values.Where(v => settings.IsSafetyValue(v.CriterionId, v.Value))
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
