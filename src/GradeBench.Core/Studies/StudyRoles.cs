namespace GradeBench.Core.Studies;

/// <summary>The roles a member holds in a study, and the one a user acts in.</summary>
public static class StudyRoles
{
    public const string Coordinator = "coordinator", Rater = "rater";

    /// <summary>The role a user acts in within a study: a member's own role wins; an administrator who is not a member
    /// acts as its coordinator; anyone else has no standing (null).</summary>
    public static string? Acting(bool isAdministrator, string? memberRole) => memberRole ?? (isAdministrator ? Coordinator : null);
}
