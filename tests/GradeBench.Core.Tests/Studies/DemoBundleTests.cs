using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

public sealed class DemoBundleTests
{
    [Fact]
    public void DemoStudyReadsWithoutErrors()
    {
        var result = BundleReader.Read(TestPaths.DemoBundle);

        Assert.Empty(result.Errors);
        var bundle = Assert.IsType<StudyBundle>(result.Bundle);
        Assert.Equal("stroke-llm-synthetic-demo", bundle.Study.Id);
        Assert.Equal(20, bundle.Cases.Count);
        Assert.Equal(4, bundle.Cases.Count(c => c.Language == "zh"));
        Assert.Equal(60, bundle.Responses.Count);
        Assert.Equal(576, bundle.Ratings.Count);
        Assert.Equal(9, bundle.Study.Criteria.Count);
        Assert.Equal(["none", "minor", "major"], bundle.Study.Criteria.Single(c => c.Id == "completeness").Options.Select(o => o.Value));
        Assert.True(bundle.Study.HideModel);
    }
}
