// bantin's additions to Decap CMS (BANTIN is set just above by the page).
(function () {
  if (!window.CMS) {
    document.body.textContent =
      "Không tải được trình soạn thảo (Decap CMS): kiểm tra mạng hoặc địa chỉ `cms.script` trong site.yaml.";
    return;
  }
  // The preview in the site's own stylesheet and the article page's markup.
  if (BANTIN.stylesheet) CMS.registerPreviewStyle(BANTIN.stylesheet);
  var ArticlePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var get = function (name) { return entry.getIn(["data", name]); };
      var image = get("image");
      var asset = image ? this.props.getAsset(image) : null;
      var views = get("views") || 0;
      return h("main", { className: "container" },
        h("article", { className: "article" },
          h("h1", {}, get("title") || ""),
          h("p", { className: "meta" },
            h("time", {}, String(get("date") || "")),
            " · ", get("category") || "",
            " · Lượt xem: ", String(views)),
          asset ? h("img", { className: "lead-image", src: asset.toString(), alt: "" }) : null,
          h("div", { className: "body" }, this.props.widgetFor("body")),
          get("author") ? h("p", { className: "author" }, get("author")) : null));
    }
  });
  BANTIN.articles.forEach(function (name) {
    CMS.registerPreviewTemplate(name, ArticlePreview);
  });

  // Decap keeps a field the clerk emptied as "" (an optional date left so
  // would not build: `effective: ""` is not a date) and a list's trailing
  // comma as an empty item. Both are left out of the saved file, as if never
  // written; required fields are never empty here (the editor refuses that).
  var isCollection = function (value) {
    return value !== null && typeof value === "object" && typeof value.filter === "function";
  };
  var isBlank = function (value) {
    return value === "" || value === null || value === undefined ||
      (isCollection(value) && value.size === 0);
  };
  var withoutBlanks = function (value) {
    if (!isCollection(value)) return value;
    return value.map(withoutBlanks).filter(function (v) { return !isBlank(v); });
  };
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      // `extra` goes to the templates untouched, empty values and all.
      var extra = data.get("extra");
      var tidy = withoutBlanks(data);
      return extra === undefined ? tidy : tidy.set("extra", extra);
    },
  });

  // Under `bantin serve`: a saved file goes through the build's checks; their
  // errors show over the editor until the file is fixed.
  if (!BANTIN.events || !window.EventSource) return;
  var banner = document.createElement("div");
  banner.id = "bantin-errors";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  banner.style.cssText =
    "position:fixed;left:0;right:0;bottom:0;z-index:100000;max-height:40vh;overflow:auto;" +
    "margin:0;padding:12px 16px;background:#fff4f4;color:#7a0000;border-top:3px solid #c00;" +
    "font:14px/1.5 monospace;white-space:pre-wrap";
  document.body.appendChild(banner);
  var events = new EventSource(BANTIN.events);
  events.addEventListener("broken", function (e) {
    banner.textContent = "Trang chưa dựng lại được, hãy sửa:\n" + JSON.parse(e.data);
    banner.hidden = false;
  });
  events.addEventListener("ok", function () { banner.hidden = true; });
  events.addEventListener("reload", function () { banner.hidden = true; });
})();
