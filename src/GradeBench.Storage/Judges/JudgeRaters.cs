using System.Data.Common;

namespace GradeBench.Storage.Judges;

/// <summary>Whose ratings a statistic is computed from: the physicians (the default everywhere), or the physicians and the
/// study's LLM judges, which a coordinator asks for explicitly.</summary>
public enum RaterScope { Physicians, PhysiciansAndJudges }

/// <summary>The one way queries leave a study's judges out: their ratings and assignments sit in the same tables as the
/// physicians', and every query that speaks of physicians (agreement, results, progress, adjudication, exports, the
/// report) adds <c>rater_id NOT IN</c> one of these. A study has a handful of judges, read once per query.</summary>
static class JudgeRaters
{
    /// <summary>The user ids of the judges of the study <c>@StudyId</c>.</summary>
    public const string OfStudy = "(SELECT j.user_id FROM judges j WHERE j.study_id = @StudyId)";

    /// <summary><see cref="OfStudy"/> for a statement whose study is its first parameter, <c>?1</c> (<see cref="RawRows"/>).</summary>
    public const string OfStudyRaw = "(SELECT j.user_id FROM judges j WHERE j.study_id = ?1)";

    /// <summary>The condition that leaves the study's judges out of a pass over its ratings or assignments (column
    /// <paramref name="raterColumn"/>, study <c>?1</c>), or none for a study without judges: most have none, and the
    /// large studies' passes over 1.6M ratings then run as before.</summary>
    public static async Task<string> ExclusionAsync(DbConnection connection, DbTransaction? transaction, long studyId, string raterColumn,
        CancellationToken ct)
    {
        var any = false;
        await RawRows.StepAsync(connection, transaction, "SELECT 1 FROM judges WHERE study_id = ?1 LIMIT 1", studyId, _ => any = true, ct);
        return any ? $" AND {raterColumn} NOT IN {OfStudyRaw}" : "";
    }
}
