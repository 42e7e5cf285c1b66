using GradeBench.Core.Studies;

namespace GradeBench.Core.Grading;

/// <summary>Why a response is in front of the viewer: to rate it (grading, a calibration round), where blinding holds
/// for everyone, or to settle its ratings (adjudication), where the study's coordinators may see the model.</summary>
public enum ResponseUse { Rating, Adjudication }

/// <summary>The one rule on model names: whether a viewer may see which model wrote a response. Stores read the model
/// and the study's <c>hide_model</c> flag and ask here; a name the viewer may not see is replaced by null before it
/// leaves the server.</summary>
public static class Blinding
{
    /// <param name="role">The role the viewer acts in (<see cref="StudyRoles.Acting"/>); null for no standing. A
    /// <see cref="StudyRoles.Judge"/> never sees a model name, whatever the study's setting: an LLM judge may favour its
    /// own family's answers.</param>
    /// <param name="studyHidesModels">The study's <c>blinding.hide_model</c>.</param>
    public static bool MaySeeModel(string? role, bool studyHidesModels, ResponseUse use) =>
        role is StudyRoles.Coordinator or StudyRoles.Rater
        && (!studyHidesModels || (use == ResponseUse.Adjudication && role == StudyRoles.Coordinator));

    /// <summary><paramref name="model"/> when the viewer may see it, else null.</summary>
    public static string? Model(string model, string? role, bool studyHidesModels, ResponseUse use) =>
        MaySeeModel(role, studyHidesModels, use) ? model : null;
}
