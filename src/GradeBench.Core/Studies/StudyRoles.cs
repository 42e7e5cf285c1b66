namespace GradeBench.Core.Studies;

/// <summary>The roles a member holds in a study, and the one a user acts in. A <see cref="Judge"/> is an LLM that rates
/// through the API; physicians are the <see cref="Rater"/>s, and what is said of raters (agreement, progress,
/// adjudication) is said of them alone unless a caller asks for judges too.</summary>
public static class StudyRoles
{
    public const string Coordinator = "coordinator", Rater = "rater", Judge = "judge";

    /// <summary>Whether a member in <paramref name="role"/> rates the study's responses: a physician or a judge.</summary>
    public static bool Rates(string? role) => role is Rater or Judge;

    /// <summary>The role a user acts in within a study: a member's own role wins; an administrator who is not a member
    /// acts as its coordinator; anyone else has no standing (null).</summary>
    public static string? Acting(bool isAdministrator, string? memberRole) => memberRole ?? (isAdministrator ? Coordinator : null);
}
