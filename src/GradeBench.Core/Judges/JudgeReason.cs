using GradeBench.Core.Messages;

namespace GradeBench.Core.Judges;

/// <summary>Why a judge statistic has no value, as messages of <c>MessageText.resx</c> (keys <c>Judge_…</c>), so the
/// results page and the report say them in their reader's language.</summary>
static class JudgeReason
{
    public static Message TooFewInstances(int instances, int minimum) => new("Judge_TooFewInstances", instances, minimum);
    public static Message NoHumanTested(int minimum) => new("Judge_NoHumanTested", minimum);
    public static Message F1ClassNeverGiven(string category) => new("Judge_F1ClassNeverGiven", category);
    public static readonly Message F1NoPairs = new("Judge_F1NoPairs");
    public static readonly Message PercentileNoPhysician = new("Judge_PercentileNoPhysician");
    public static readonly Message NoSharedResponse = new("Judge_NoSharedResponse");
    public static readonly Message NoPhysicianValue = new("Judge_NoPhysicianValue");
    public static readonly Message NoJudgeOnlyResponse = new("Judge_NoJudgeOnlyResponse");
    public static readonly Message OneResponse = new("Judge_OneResponse");
    public static readonly Message NoVariation = new("Judge_NoVariation");
}
