using GradeBench.Core.Agreement;
using GradeBench.Core.Checklists;

namespace GradeBench.Core.Tests.Checklists;

public sealed class ChecklistMarksCsvTests
{
    [Fact]
    public void ReadsEveryMarkWithTheColumnsInAnyOrder()
    {
        var marks = ChecklistMarksCsv.Read(new StringReader(
            "\uFEFFrater,response,met,criterion,points,note,model\n" +
            "p1,r1,true,dose,5,\"a, b\",gpt\n" +
            "\n" +
            "p1,r1,FALSE,delay,-6,,gpt\n" +
            "p2,r1,1,dose,+5,,gpt\n" +
            "p2,r1,0,delay,-6,,gpt\n"));

        Assert.Equal(
            [("r1", "gpt", "p1", "dose", 5, true), ("r1", "gpt", "p1", "delay", -6, false), ("r1", "gpt", "p2", "dose", 5, true), ("r1", "gpt", "p2", "delay", -6, false)],
            marks.Select(m => (m.Response, m.Model, m.Rater, m.Criterion, m.Points, m.Met)));
        Assert.All(marks, m => Assert.Null(m.Case));
        Assert.All(marks, m => Assert.Empty(m.Tags));
    }

    [Fact]
    public void ReadsTheTagsSeparatedBySemicolons()
    {
        var marks = ChecklistMarksCsv.Read(new StringReader(
            "response,model,rater,criterion,points,met,tags\n" +
            "r1,gpt,p1,dose,5,true,axis:accuracy; theme:emergency\n" +
            "r1,gpt,p1,weight,2,true,\n" +
            "r1,gpt,p2,dose,5,true,theme:emergency;axis:accuracy\n" +
            "r1,gpt,p2,weight,2,false, \n"));

        Assert.Equal(["axis:accuracy", "theme:emergency"], marks[0].Tags);
        Assert.Empty(marks[1].Tags);
        Assert.Equal(["theme:emergency", "axis:accuracy"], marks[2].Tags);
    }

    [Theory]
    [InlineData("", 0, "the file is empty: expected a header response,model,rater,criterion,points,met and one row per mark")]
    [InlineData("response,model,rater,criterion,points,met\n", 1, "no marks after the header")]
    [InlineData("response,model,rater,criterion,met\nr1,m,p1,c1,true\n", 1, "header must name the columns response,model,rater,criterion,points,met; it is response,model,rater,criterion,met")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m\n", 3, "expected 6 fields, found 2")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,,c1,5,true\n", 2, "rater: empty")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,2.5,true\n", 2, "points: \"2.5\" is not a whole number")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,0,true\n", 2, "points: 0; a criterion is worth a non-zero whole number of points")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,yes\n", 2, "met: \"yes\" is not one of true, false, 1, 0")]
    [InlineData("response,model,rater,criterion,points,met,tags\nr1,m,p1,c1,5,true,a;;b\n", 2, "tags: \"a;;b\" has an empty tag (tags are separated by ;)")]
    [InlineData("response,model,rater,criterion,points,met,tags\nr1,m,p1,c1,5,true,a;b; a\n", 2, "tags: \"a\" twice")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,n,p2,c1,5,true\n", 3, "model: response \"r1\" is by \"m\" (line 2)")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p2,c1,-5,true\n", 3, "points: criterion \"c1\" of response \"r1\" is worth 5 (line 2)")]
    [InlineData("response,model,rater,criterion,points,met,tags\nr1,m,p1,c1,5,true,a;b\nr1,m,p2,c1,5,true,a\n", 3, "tags: criterion \"c1\" of response \"r1\" has the tags \"a;b\" (line 2)")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr2,m,p1,c1,5,true\nr1,m,p1,c1,5,false\n", 4, "rater \"p1\" marked criterion \"c1\" of response \"r1\" already (line 2)")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p1,c2,2,true\nr1,m,p2,c1,5,true\n", 4,
        "rater \"p2\" marked response \"r1\" but not its criterion \"c2\" (line 3); a rater marks every criterion of the answers they mark")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,\"true\n", 2, "malformed CSV")]
    public void BadInputNamesTheLineAndField(string text, int line, string message)
    {
        var problem = Assert.Throws<RatingsCsvException>(() => ChecklistMarksCsv.Read(new StringReader(text)));

        Assert.Equal(line, problem.Line);
        Assert.StartsWith(message, problem.Message);
    }
}
