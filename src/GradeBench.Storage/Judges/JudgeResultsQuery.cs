using GradeBench.Core.Judges;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Judges;

/// <summary>A study's judge statistics (<see cref="StudyJudges"/>) from its stored ratings, judges' and physicians'
/// together: the one computation behind the results page's Judges section, <c>judges.csv</c> and the report, with the
/// default bootstrap seed and resamples, so all three show the same numbers.</summary>
public sealed class JudgeResultsQuery(Database database)
{
    /// <summary><see cref="StudyJudgeResults.None"/> for a study without judges, read without touching its ratings.</summary>
    public async Task<StudyJudgeResults> LoadAsync(long studyId, CancellationToken ct = default)
    {
        var rubric = new RubricQuery(database);
        var judges = await new JudgeStore(database, rubric, TimeProvider.System).ListAsync(studyId, ct);
        if (judges.Count == 0) return StudyJudgeResults.None;
        var input = await new ResultsQuery(database, rubric).LoadAsync(studyId, RaterScope.PhysiciansAndJudges, ct);
        var provenance = judges.Select(j => new JudgeProvenance(j.UserId, j.Name, j.Model, j.ModelVersion, j.PromptSha256, j.Temperature,
            j.RubricSha256, j.CreatedAt)).ToList();
        // CPU-bound (the bootstraps): off the caller's thread.
        return await Task.Run(() => StudyJudges.Compute(input, provenance), ct);
    }
}
