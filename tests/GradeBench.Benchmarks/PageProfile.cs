using System.Diagnostics;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Storage;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Benchmarks;

/// <summary>Where a coordinator page's time goes: a stopwatch around each query and computation the dashboard and the
/// results page run for one study (`profile-pages DB STUDY_ID`).</summary>
public static class PageProfile
{
    public static async Task RunAsync(string databasePath, long studyId)
    {
        var database = new Database(databasePath);
        var dashboard = new DashboardQuery(database);
        var rubric = new RubricQuery(database);
        await TimeAsync("dashboard: raters' activity (request path)", () => dashboard.RaterActivityAsync(studyId));
        await TimeAsync("dashboard: recent activity (request path)", () => dashboard.RecentActivityAsync(studyId, 20));
        await TimeAsync("dashboard: counts per rater, model, criterion (off the request path)", () => dashboard.CountsAsync(studyId));
        var criteria = (await rubric.LoadAsync(studyId)).Where(c => CriterionRatings.Level(c.Criterion) is not null).ToList();
        // As the dashboard's AgreementMonitor reads and computes it, off the request path.
        var submitted = await TimeAsync("agreement: submitted ratings (flat columns)",
            () => new AgreementQuery(database).SubmittedColumnsAsync(studyId, criteria.Select(c => c.Id).ToHashSet()));
        // The reader it replaced, for the same run's comparison.
        await TimeAsync("agreement: submitted ratings as objects (before)", () => new AgreementQuery(database).SubmittedAsync(studyId));
        foreach (var c in criteria)
        {
            var level = CriterionRatings.Level(c.Criterion)!.Value;
            var ratings = submitted.GetValueOrDefault(c.Id) ?? new CriterionSubmissions();
            var matrix = Time($"agreement {c.Criterion.Id}: unit matrix", () => ratings.UnitMatrix(c.Criterion));
            Time($"agreement {c.Criterion.Id}: alpha", () => KrippendorffAlpha.Compute(matrix, level));
            var coefficient = $"krippendorff_alpha_{level.ToString().ToLowerInvariant()}";
            Time($"agreement {c.Criterion.Id}: 1,000-resample bootstrap", () => AgreementBootstrap.Intervals(matrix, [coefficient])[coefficient]);
        }
        if (Environment.GetEnvironmentVariable("GRADEBENCH_PROFILE_DASHBOARD_ONLY") == "1") return;
        var input = await TimeAsync("results: load input", () => new ResultsQuery(database, rubric).LoadAsync(studyId));
        Console.WriteLine($"          ({input.Ratings.Count:N0} ratings, {input.Responses.Count:N0} responses, {input.Timings.Count:N0} timings)");
        Time("results: agreement (all coefficients, bootstraps)", () => StudyResults.Agreement(input.Criteria, input.Ratings));
        var models = input.Responses.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        Time("results: model tables (summaries with bootstraps, pairs)", () => StudyResults.ModelResults(input, models, onConsensus: false));
        Time("results: everything (StudyResults.Compute)", () => StudyResults.Compute(input));
    }

    /// <summary>Where the results page's judge section's time goes (`profile-judges DB STUDY`): the ratings of judges
    /// and physicians, then <see cref="StudyJudges.Compute(ResultsInput, IReadOnlySet{long}, int, int)"/> per criterion,
    /// then the whole <see cref="JudgeResultsQuery"/> as the page runs it.</summary>
    public static async Task JudgesAsync(string databasePath, string study)
    {
        var database = new Database(databasePath);
        var studyId = await new GradeBench.Storage.Studies.StudyQuery(database).FindIdAsync(study) ?? throw new ArgumentException($"There is no study {study}.");
        var rubric = new RubricQuery(database);
        var judges = (await new JudgeStore(database, rubric, TimeProvider.System).ListAsync(studyId)).Select(j => j.UserId).ToHashSet();
        var input = await TimeAsync("judges: load physicians' and judges' ratings", () => new ResultsQuery(database, rubric).LoadAsync(studyId, RaterScope.PhysiciansAndJudges));
        Console.WriteLine($"          ({input.Ratings.Count:N0} ratings, {input.Responses.Count:N0} responses, {judges.Count} judges)");
        foreach (var criterion in input.Criteria.Where(c => CriterionRatings.Level(c.Criterion) is not null))
            Time($"judges {criterion.Criterion.Id}: every statistic, bootstraps included",
                () => StudyJudges.Compute(input with { Criteria = [criterion] }, judges));
        await TimeAsync("judges: everything (JudgeResultsQuery)", () => new JudgeResultsQuery(database).LoadAsync(studyId));
    }

    static T Time<T>(string what, Func<T> run)
    {
        var clock = Stopwatch.StartNew();
        var result = run();
        Console.WriteLine($"{clock.ElapsedMilliseconds,8} ms  {what}");
        return result;
    }

    static async Task<T> TimeAsync<T>(string what, Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var result = await run();
        Console.WriteLine($"{clock.ElapsedMilliseconds,8} ms  {what}");
        return result;
    }
}
