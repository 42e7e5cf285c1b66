using GradeBench.Core.Studies;
using GradeBench.Web.Features.Studies;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

public sealed partial class StudyHub
{
    public async Task<StudyStateChanged> SetStudyState(long studyId, string state, StudyRecorder recorder)
    {
        await CoordinatorAsync(studyId);
        if (!StudyLifecycle.TryParse(state, out var to)) throw new HubException($"Unknown study state \"{state}\".");
        var result = await recorder.ChangeStateAsync(studyId, UserId, to);
        return result.Changed ?? throw new HubException(result.Refusal);
    }

    /// <summary>Closing is not a <see cref="SetStudyState"/>: it carries the study's id as the coordinator typed it.</summary>
    public async Task<StudyStateChanged> CloseStudy(long studyId, string typedStudyId, StudyRecorder recorder)
    {
        await CoordinatorAsync(studyId);
        var result = await recorder.CloseAsync(studyId, UserId, typedStudyId);
        return result.Changed ?? throw new HubException(result.Refusal);
    }

    public async Task<StudyStateChanged> SetPaused(long studyId, bool paused, StudyRecorder recorder)
    {
        await CoordinatorAsync(studyId);
        var result = await recorder.SetPausedAsync(studyId, UserId, paused);
        return result.Changed ?? throw new HubException(result.Refusal);
    }
}
