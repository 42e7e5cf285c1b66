using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

public sealed class PilotRatersTests
{
    [Fact]
    public void APilotRatersAccountNameIsNoNameAnyoneCanChoose()
    {
        var name = PilotRaters.AccountName("stroke-demo", "admin");

        Assert.Equal("stroke-demo/admin", name);
        Assert.False(BundleReader.IsIdentifier(name));
    }

    [Theory]
    [InlineData("stroke-demo/rater-1", "rater-1")]
    [InlineData("other-study/rater-1", "other-study/rater-1")]
    [InlineData("dr-a", "dr-a")]
    public void ABundleNamesPilotRatersOfItsStudyByTheirOwnName(string username, string inBundle) =>
        Assert.Equal(inBundle, PilotRaters.BundleName("stroke-demo", username));
}
