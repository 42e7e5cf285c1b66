namespace GradeBench.Core.Studies;

/// <summary>Draft: being set up (calibration happens here). Open: raters grade independently. Adjudication:
/// independent rating has ended and disagreements are resolved. Closed: nothing changes any more.</summary>
public enum StudyState { Draft, Open, Adjudication, Closed }

/// <summary>Which state changes a coordinator may make. A study moves forward, except that adjudication may go back
/// to open (a rater still has items to finish); a pause exists only while it is open.</summary>
public static class StudyLifecycle
{
    public static string Name(StudyState state) => state.ToString().ToLowerInvariant();

    public static StudyState Parse(string name) => name switch
    {
        "draft" => StudyState.Draft,
        "open" => StudyState.Open,
        "adjudication" => StudyState.Adjudication,
        "closed" => StudyState.Closed,
        _ => throw new ArgumentException($"Unknown study state \"{name}\".", nameof(name)),
    };

    public static bool TryParse(string? name, out StudyState state)
    {
        state = default;
        if (name is not ("draft" or "open" or "adjudication" or "closed")) return false;
        state = Parse(name);
        return true;
    }

    public static bool CanMove(StudyState from, StudyState to) => (from, to) switch
    {
        (StudyState.Draft, StudyState.Open) => true,
        (StudyState.Open, StudyState.Adjudication) => true,
        (StudyState.Open, StudyState.Closed) => true,
        (StudyState.Adjudication, StudyState.Open) => true,
        (StudyState.Adjudication, StudyState.Closed) => true,
        _ => false,
    };

    /// <summary>The states a coordinator can move the study to from <paramref name="from"/>.</summary>
    public static IReadOnlyList<StudyState> Next(StudyState from) =>
        Enum.GetValues<StudyState>().Where(to => CanMove(from, to)).ToList();

    /// <summary>Closing is for good, so the coordinator confirms it by typing the study's id (its slug); spaces around it
    /// are forgiven, anything else is not.</summary>
    public static bool ConfirmsClose(string studyId, string? typed) => typed is not null && typed.Trim() == studyId;

    /// <summary>Raters may save and submit only while the study is open and not paused.</summary>
    public static bool AcceptsRatings(StudyState state, bool paused) => state == StudyState.Open && !paused;
}
