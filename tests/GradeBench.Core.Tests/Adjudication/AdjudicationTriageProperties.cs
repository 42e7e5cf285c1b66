using FsCheck.Xunit;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Adjudication;

/// <summary>Properties of <see cref="AdjudicationTriage.Decide"/> over random ratings. FsCheck draws integers; responses,
/// raters and values (always on the criterion's scale) are derived from them, so a failure replays from the arguments.</summary>
public sealed class AdjudicationTriageProperties
{
    static readonly IReadOnlyList<Criterion> Criteria = AdjudicationRulesTests.All;
    static readonly AdjudicationSettings Defaults = AdjudicationSettings.Defaults(Criteria);

    static string ValueOf(Criterion criterion, int draw)
    {
        var n = Math.Abs(draw % 1000);
        return criterion.Type switch
        {
            CriterionType.Likert => (1 + n % 5).ToString(),
            CriterionType.Ordinal or CriterionType.Nominal => criterion.Options[n % criterion.Options.Count].Value,
            CriterionType.Binary => n % 2 == 0 ? "true" : "false",
            CriterionType.Numeric => (n % 101).ToString(),
            _ => $"note {n % 3}",
        };
    }

    /// <summary>One value per rater × response × criterion, from the drawn integers.</summary>
    static List<SubmittedValue> Ratings(int[] draws) => draws
        .Select((d, i) => (d, i))
        .Select(x => (Response: 1 + Math.Abs(x.d % 6), Rater: 100 + Math.Abs(x.d / 7 % 4), Criterion: Criteria[x.i % Criteria.Count], x.d))
        .GroupBy(x => (x.Response, x.Rater, x.Criterion.Id)).Select(g => g.First())
        .Select(x => new SubmittedValue(x.Response, x.Rater, x.Criterion.Id, ValueOf(x.Criterion, x.d / 3)))
        .ToList();

    static string Show(IReadOnlyList<AdjudicationNeed> needs) => string.Join(";", needs.Select(n =>
        $"{n.ResponseId}:{string.Join(",", n.DisagreeingCriteria)}:{string.Join(",", n.SafetyValues.Select(v => $"{v.RaterId}/{v.CriterionId}"))}"));

    [Property(MaxTest = 300)]
    public void TheOrderOfRatingsDoesNotMatter(int[] draws, int seed)
    {
        var ratings = Ratings(draws);
        var shuffled = ratings.ToArray();
        new Random(seed).Shuffle(shuffled);

        Assert.Equal(Show(AdjudicationTriage.Decide(Criteria, Defaults, ratings)), Show(AdjudicationTriage.Decide(Criteria, Defaults, shuffled)));
    }

    [Property(MaxTest = 300)]
    public void ASingleRaterOrUnanimousRatersNeverDisagree(int[] draws)
    {
        var ratings = Ratings(draws);
        var unanimous = ratings.Select(r => r with { Value = ratings.First(x => x.ResponseId == r.ResponseId && x.CriterionId == r.CriterionId).Value });
        var single = ratings.Where(r => r.RaterId == 100);

        Assert.All(AdjudicationTriage.Decide(Criteria, Defaults, unanimous), n => Assert.False(n.Disagreement));
        Assert.All(AdjudicationTriage.Decide(Criteria, Defaults, single), n => Assert.False(n.Disagreement));
    }

    [Property(MaxTest = 300)]
    public void AResponseIsChosenExactlyWhenACriterionDisagreesOrARatingIsSevere(int[] draws)
    {
        var ratings = Ratings(draws);
        var chosen = AdjudicationTriage.Decide(Criteria, Defaults, ratings).Select(n => n.ResponseId).ToHashSet();

        foreach (var response in ratings.GroupBy(r => r.ResponseId))
        {
            var likert = response.Where(r => r.CriterionId == "consensus").Select(r => int.Parse(r.Value)).ToList();
            var expected = (likert.Count > 1 && likert.Max() - likert.Min() >= 2)
                || new[] { "harm_extent", "error_type", "hallucination" }.Any(c => response.Where(r => r.CriterionId == c).Select(r => r.Value).Distinct().Count() > 1)
                || response.Any(r => r is { CriterionId: "harm_extent", Value: "severe" });
            Assert.Equal(expected, chosen.Contains(response.Key));
        }
    }

    [Property(MaxTest = 300)]
    public void AddingARatingNeverTakesAResponseOutOfTheQueue(int[] draws, int extra)
    {
        var ratings = Ratings(draws);
        var before = AdjudicationTriage.Decide(Criteria, Defaults, ratings).Select(n => n.ResponseId);
        var criterion = Criteria[Math.Abs(extra % Criteria.Count)];
        var added = new SubmittedValue(1 + Math.Abs(extra % 6), 999, criterion.Id, ValueOf(criterion, extra / 5));

        var after = AdjudicationTriage.Decide(Criteria, Defaults, [.. ratings, added]).Select(n => n.ResponseId);

        Assert.Subset(after.ToHashSet(), before.ToHashSet());
    }

    [Property(MaxTest = 300)]
    public void AWiderLikertRangeNeverAddsDisagreement(int[] draws, int widen)
    {
        var ratings = Ratings(draws);
        var wider = Defaults with { Rules = new Dictionary<string, DisagreementRule>(Defaults.Rules) { ["consensus"] = DisagreementRule.Range(2 + Math.Abs(widen % 4)) } };

        var strict = AdjudicationTriage.Decide(Criteria, Defaults, ratings).SelectMany(n => n.DisagreeingCriteria.Select(c => (n.ResponseId, c)));
        var lenient = AdjudicationTriage.Decide(Criteria, wider, ratings).SelectMany(n => n.DisagreeingCriteria.Select(c => (n.ResponseId, c)));

        Assert.Subset(strict.ToHashSet(), lenient.ToHashSet());
    }
}
