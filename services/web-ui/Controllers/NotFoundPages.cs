using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>A 404 that is a page of the dashboard, naming what was not found (the id is shown escaped, as everything is).</summary>
public static class NotFoundPages
{
    public sealed record Missing(string What, string Id);

    public static ViewResult NotFoundPage(this Controller controller, string what, string id)
    {
        var view = controller.View("NotFound", new Missing(what, id));
        view.StatusCode = StatusCodes.Status404NotFound;
        return view;
    }
}
