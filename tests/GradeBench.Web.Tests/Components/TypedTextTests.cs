using Bunit;
using GradeBench.Web.Components;

namespace GradeBench.Web.Tests.Components;

public sealed class TypedTextTests : BunitContext
{
    [Fact]
    public void AFieldKeepsTheValueItAppearedWithWhateverItsOwnerRendersLater()
    {
        var cut = Render<TypedText>(p => p.Add(t => t.Id, "note").Add(t => t.Multiline, true).Add(t => t.Value, "as loaded"));

        // The owner re-renders with an older or newer value (a live update, a late answer): the field is not written.
        cut.Render(p => p.Add(t => t.Value, "older"));

        Assert.Equal("as loaded", cut.Find("textarea#note").GetAttribute("value"));
    }

    [Fact]
    public void LeavingTheFieldSendsItsWholeValue()
    {
        var sent = new List<string>();
        var cut = Render<TypedText>(p => p.Add(t => t.Id, "label").Add(t => t.ValueChanged, v => sent.Add(v)));

        cut.Find("input#label").Change("急性缺血性卒中 with alteplase");

        Assert.Equal(["急性缺血性卒中 with alteplase"], sent);
        Assert.Null(cut.Find("input#label").GetAttribute("value"));
    }

    [Fact]
    public void OtherAttributesReachTheField()
    {
        var cut = Render<TypedText>(p => p.Add(t => t.Id, "flag-note").Add(t => t.Multiline, true).Add(t => t.Rows, 2)
            .Add(t => t.MaxLength, 2000).AddUnmatched("class", "span-note"));

        cut.Find("textarea").MarkupMatches("<textarea id=\"flag-note\" rows=\"2\" maxlength=\"2000\" class=\"span-note\"></textarea>");
    }
}
