using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Judges;

/// <summary>A criterion's judges beside its physicians; raters are named by their ids (<see cref="ResultRater.Id"/>).</summary>
public sealed record CriterionJudges(long Id, Criterion Criterion, JudgeAgreementReport Report);

/// <summary>A judge as the study recorded it (<c>gradebench judges add</c>): its name in the study, the model and how it
/// was run, the rubric version it was set up for, and when it was added.</summary>
public sealed record JudgeProvenance(long Id, string Name, string Model, string? Version, string? PromptSha256, double? Temperature,
    string RubricSha256, DateTimeOffset Added);

/// <summary>A study's judges and their statistics per criterion (<see cref="StudyJudges.Compute(ResultsInput, IReadOnlyList{JudgeProvenance}, int, int)"/>);
/// <see cref="RaterNames"/> names the raters (judges and physicians) that <see cref="Criteria"/> name by id. Empty for a
/// study without judges.</summary>
public sealed record StudyJudgeResults(IReadOnlyList<JudgeProvenance> Judges, IReadOnlyDictionary<string, string> RaterNames,
    IReadOnlyList<CriterionJudges> Criteria)
{
    public static readonly StudyJudgeResults None = new([], new Dictionary<string, string>(), []);

    /// <summary>The name of a rater named by id in <see cref="Criteria"/>.</summary>
    public string Name(string raterId) => RaterNames.TryGetValue(raterId, out var name) ? name : raterId;
}

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
        var judged = input.Criteria
            .Select(c => (Criterion: c, Level: CriterionRatings.Level(c.Criterion), Ratings: byCriterion.GetValueOrDefault(c.Id)))
            .Where(c => c.Level is not null && c.Ratings is not null && c.Ratings.Any(r => judges.Contains(r.RaterId)))
            .ToList();
        // Criteria in parallel, each in its own slot: the same results in rubric order on any number of threads.
        var results = new CriterionJudges[judged.Count];
        Parallel.For(0, judged.Count, i =>
        {
            var (criterion, level, ratings) = judged[i];
            var rating = ratings!.Select(r => r.RaterId).Where(judges.Contains).Distinct().Order().Select(Id).ToList();
            var options = new JudgeAgreementOptions { Level = level!.Value, BootstrapResamples = resamples, Seed = seed, UnitModels = models };
            results[i] = new CriterionJudges(criterion.Id, criterion.Criterion,
                JudgeAgreement.Analyse(CriterionRatings.Matrix(criterion.Criterion, ratings!, input.UnitOrder), rating, options));
        });
        return results;
    }

    /// <summary>The study's judges with their statistics: <see cref="Compute(ResultsInput, IReadOnlySet{long}, int, int)"/>
    /// on <paramref name="input"/>, which holds the judges' ratings beside the physicians'.</summary>
    public static StudyJudgeResults Compute(ResultsInput input, IReadOnlyList<JudgeProvenance> judges,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(judges);
        if (judges.Count == 0) return StudyJudgeResults.None;
        var names = input.Raters.ToDictionary(r => Id(r.Id), r => r.Name);
        foreach (var judge in judges) names[Id(judge.Id)] = judge.Name;
        return new StudyJudgeResults(judges, names, Compute(input, judges.Select(j => j.Id).ToHashSet(), resamples, seed));
    }

    static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
