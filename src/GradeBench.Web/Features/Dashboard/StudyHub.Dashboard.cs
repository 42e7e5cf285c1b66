using GradeBench.Web.Features.Dashboard;

namespace GradeBench.Web.Features.Live;

public sealed partial class StudyHub
{
    public async Task<AgreementUpdated> GetAgreement(long studyId, AgreementMonitor agreement)
    {
        await CoordinatorAsync(studyId);
        return await agreement.CurrentAsync(studyId, Context.ConnectionAborted);
    }
}
