using GradeBench.Core.Grading;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Grading;

public sealed class BlindingTests
{
    const bool Admin = true, NotAdmin = false, Hidden = true, Shown = false, Sees = true, Blind = false;
    const string? NotMember = null;
    const string Rater = StudyRoles.Rater, Coordinator = StudyRoles.Coordinator;
    const ResponseUse Rating = ResponseUse.Rating, Adjudication = ResponseUse.Adjudication;

    /// <summary>Every account kind × membership in the study × the study's hide_model × why the response is shown.</summary>
    public static TheoryData<bool, string?, bool, ResponseUse, bool> Cases => new()
    {
        // An outsider sees nothing, blinded or not.
        { NotAdmin, NotMember, Shown, Rating, Blind },
        { NotAdmin, NotMember, Shown, Adjudication, Blind },
        { NotAdmin, NotMember, Hidden, Rating, Blind },
        { NotAdmin, NotMember, Hidden, Adjudication, Blind },
        // A rater sees the model only when the study does not hide it.
        { NotAdmin, Rater, Shown, Rating, Sees },
        { NotAdmin, Rater, Shown, Adjudication, Sees },
        { NotAdmin, Rater, Hidden, Rating, Blind },
        { NotAdmin, Rater, Hidden, Adjudication, Blind },
        // A coordinator is blinded while rating (calibration) but sees the model when adjudicating.
        { NotAdmin, Coordinator, Shown, Rating, Sees },
        { NotAdmin, Coordinator, Shown, Adjudication, Sees },
        { NotAdmin, Coordinator, Hidden, Rating, Blind },
        { NotAdmin, Coordinator, Hidden, Adjudication, Sees },
        // An administrator who is not a member acts as the coordinator.
        { Admin, NotMember, Shown, Rating, Sees },
        { Admin, NotMember, Shown, Adjudication, Sees },
        { Admin, NotMember, Hidden, Rating, Blind },
        { Admin, NotMember, Hidden, Adjudication, Sees },
        // An administrator who is a member acts in their own role: as a rater they are blinded like any rater.
        { Admin, Rater, Shown, Rating, Sees },
        { Admin, Rater, Shown, Adjudication, Sees },
        { Admin, Rater, Hidden, Rating, Blind },
        { Admin, Rater, Hidden, Adjudication, Blind },
        { Admin, Coordinator, Shown, Rating, Sees },
        { Admin, Coordinator, Shown, Adjudication, Sees },
        { Admin, Coordinator, Hidden, Rating, Blind },
        { Admin, Coordinator, Hidden, Adjudication, Sees },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AViewerSeesTheModelOnlyWhereTheStudyAndTheirRoleAllow(bool isAdministrator, string? membership, bool hideModel,
        ResponseUse use, bool sees)
    {
        var role = StudyRoles.Acting(isAdministrator, membership);

        Assert.Equal(sees, Blinding.MaySeeModel(role, hideModel, use));
        Assert.Equal(sees ? "model-a" : null, Blinding.Model("model-a", role, hideModel, use));
    }

    [Fact]
    public void TheTableCoversEveryCombination() =>
        Assert.Equal(2 * 3 * 2 * 2, Cases.Select(c => (c[0], c[1], c[2], c[3])).Distinct().Count());

    [Theory]
    [InlineData("admin")]
    [InlineData("")]
    [InlineData("Coordinator")]
    public void AnUnknownRoleNeverSeesTheModel(string role) =>
        Assert.False(Blinding.MaySeeModel(role, studyHidesModels: false, ResponseUse.Adjudication));
}
