using GradeBench.Storage.Calibration;
using GradeBench.Web.Features.Calibration;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

public sealed partial class StudyHub
{
    /// <summary>The caller's calibration rating of the item of the open round (raters of the study only). Returns the
    /// round's counts after it; the round may have revealed itself.</summary>
    public async Task<CalibrationStatus> SubmitCalibration(long studyId, long itemId, Dictionary<string, string?> values, CalibrationRecorder calibration)
    {
        await AccessAsync(studyId);
        var change = await calibration.SubmitAsync(studyId, UserId, itemId, values, Context.ConnectionAborted);
        return change.Status ?? throw new HubException(CalibrationRecorder.Describe(change));
    }

    /// <summary>Shows the open round's spread to everyone (coordinators only).</summary>
    public async Task<CalibrationStatus> RevealCalibration(long studyId, CalibrationRecorder calibration)
    {
        await CoordinatorAsync(studyId);
        var change = await calibration.RevealAsync(studyId, UserId, Context.ConnectionAborted);
        return change.Status ?? throw new HubException(CalibrationRecorder.Describe(change));
    }
}
