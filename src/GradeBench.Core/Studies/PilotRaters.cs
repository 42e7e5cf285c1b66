namespace GradeBench.Core.Studies;

/// <summary>The accounts that hold a bundle's pilot ratings (ratings.csv). Each pilot rater gets an account of the
/// imported study only, named <c>{study id}/{rater}</c>: a user name nobody can choose (names are identifiers, which
/// hold no "/"), so an import never lends ratings, membership or a role to an existing account.</summary>
public static class PilotRaters
{
    /// <summary>The user name of <paramref name="rater"/>, a pilot rater of the study <paramref name="studyId"/>.</summary>
    public static string AccountName(string studyId, string rater) => Prefix(studyId) + rater;

    /// <summary>What every user name of the study's pilot raters starts with.</summary>
    public static string Prefix(string studyId) => studyId + "/";

    /// <summary>The name a rater goes by in a bundle of the study: a pilot rater's own name, anyone else's user name.</summary>
    public static string BundleName(string studyId, string username) =>
        username.StartsWith(Prefix(studyId), StringComparison.OrdinalIgnoreCase) ? username[Prefix(studyId).Length..] : username;
}
