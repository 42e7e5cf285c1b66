using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Judges;

/// <summary>A criterion's judges beside its physicians; raters are named by their ids (<see cref="ResultRater.Id"/>).</summary>
public sealed record CriterionJudges(long Id, Criterion Criterion, JudgeAgreementReport Report);

/// <summary>A study's judge statistics, computed once for the results page, <c>judges.csv</c> and the report, so that
/// they show the same numbers (as <see cref="StudyResults"/> is for agreement).</summary>
public static class StudyJudges
{
    /// <summary><see cref="JudgeAgreement.Analyse"/> on each criterion with a measurement level that a judge rated, in
    /// rubric order: units are responses, the scale is the criterion's whole scale, and each response's model feeds the
    /// prediction-powered means. <paramref name="input"/> holds the judges' ratings beside the physicians'.</summary>
    /// <param name="judges">The raters that are judges; every other rater is a physician.</param>
    public static IReadOnlyList<CriterionJudges> Compute(ResultsInput input, IReadOnlySet<long> judges,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        if (judges.Count == 0) return [];
        var models = input.Responses.ToDictionary(r => Id(r.Id), r => r.Model);
        var byCriterion = input.Ratings.GroupBy(r => r.CriterionId)
            .ToDictionary(g => g.Key, g => g.Select(r => new StoredRating(r.ResponseId, r.RaterId, r.Value)).ToList());
        var results = new List<CriterionJudges>();
        foreach (var criterion in input.Criteria)
        {
            if (CriterionRatings.Level(criterion.Criterion) is not { } level || !byCriterion.TryGetValue(criterion.Id, out var ratings)) continue;
            var rating = ratings.Select(r => r.RaterId).Where(judges.Contains).Distinct().Order().Select(Id).ToList();
            if (rating.Count == 0) continue;
            var matrix = CriterionRatings.Matrix(criterion.Criterion, ratings);
            var options = new JudgeAgreementOptions { Level = level, BootstrapResamples = resamples, Seed = seed, UnitModels = models };
            results.Add(new CriterionJudges(criterion.Id, criterion.Criterion, JudgeAgreement.Analyse(matrix, rating, options)));
        }
        return results;
    }

    static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
