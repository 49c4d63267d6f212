// Starts Swagger UI on /docs (a file, not an inline script: the page's
// Content-Security-Policy allows scripts from 'self' only). The spec's URL is the
// data-spec attribute of the #swagger-ui element.
window.addEventListener("load", function () {
  var holder = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: holder.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
