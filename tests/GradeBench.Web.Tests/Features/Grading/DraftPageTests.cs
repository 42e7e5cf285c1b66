using System.Reflection;
using System.Text.RegularExpressions;
using GradeBench.Web.Features.Grading;
using Microsoft.JSInterop;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>What both grading pages share through <see cref="DraftPage{TSession}"/>: the methods grading.js calls back.</summary>
public sealed partial class DraftPageTests
{
    public static TheoryData<Type> Pages() => [typeof(GradePage), typeof(ComparePage)];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EachPageAnswersEveryCallOfGradingJs(Type page)
    {
        var script = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "wwwroot", "js", "grading.js"));
        var called = Call().Matches(script).SelectMany(call => MethodName().Matches(call.Groups[1].Value)).Select(name => name.Groups[1].Value).ToHashSet();
        // The dispatcher looks for public instance methods of the object's own type, inherited ones included.
        var invokable = page.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsDefined(typeof(JSInvokableAttribute), inherit: false)).Select(m => m.Name).ToHashSet();

        Assert.Equal(["CloseGuidelines", "NextItem", "PreviousItem", "SubmitFromKeyboard"], called.Order());
        Assert.Subset(invokable, called);
    }

    /// <summary>A call's arguments, up to its first closing parenthesis.</summary>
    [GeneratedRegex(@"invokeMethodAsync\((.*?)\)")]
    private static partial Regex Call();

    /// <summary>A .NET method's name among them: a quoted capitalised word (a key name such as "j" is not).</summary>
    [GeneratedRegex(@"""([A-Z]\w*)""")]
    private static partial Regex MethodName();
}
