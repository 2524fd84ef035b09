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

  // Typed decomposed (Unikey's "Unicode tổ hợp", text copied from a Mac or
  // a PDF), `ả` is `a` and a mark, which Decap's slug turns into `a-`:
  // "Đảng ủy" became `da-ng-u-y.md`. And the Icelandic `Ð`, which old input
  // methods and converters put for `Đ` (they look the same), Decap folds to
  // `dh`. Both are written as the letters they are meant to be (the pairs
  // are bantin's own, as `bantin new` reads them).
  var sameLetters = BANTIN.sameLetters || {};
  var tidyLetters = function (text) {
    return text.normalize("NFC").replace(/[^\u0000-\u007f]/g, function (c) {
      return Object.prototype.hasOwnProperty.call(sameLetters, c) ? sameLetters[c] : c;
    });
  };

  // A Mac names files in decomposed Unicode (`ả` as `a` and a combining
  // hook), which Decap's slug of a file's name turns into `a-nh.png`, where
  // the same name from Windows (precomposed) gives `anh.png`; a name with
  // `Ð` gave `dh`. And Decap makes each space or bracket a dash, keeping one
  // before the extension: `scan 001 (2).pdf` became `scan-001-2-.pdf`. The
  // names are tidied as the clerk picks the files, before Decap reads them:
  // letters as they are meant, words joined by one dash, none at either end.
  var tidyFileName = function (name) {
    name = tidyLetters(name);
    var dot = name.lastIndexOf(".");
    var stem = dot > 0 ? name.slice(0, dot) : name;
    var extension = dot > 0 ? name.slice(dot) : "";
    var words = stem.replace(/[^\p{L}\p{M}\p{N}_.]+/gu, "-").replace(/-*\.+-*/g, ".")
      .replace(/^[-.]+|[-.]+$/g, "");
    return words === "" ? name : words + extension;
  };
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files || !window.DataTransfer) return;
    var files = Array.prototype.slice.call(input.files);
    var untidy = function (file) { return file.name !== tidyFileName(file.name); };
    if (!files.some(untidy)) return;
    var renamed = new DataTransfer();
    files.forEach(function (file) {
      renamed.items.add(new File([file], tidyFileName(file.name),
        { type: file.type, lastModified: file.lastModified }));
    });
    input.files = renamed.files;
  }, true);

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
  // The fields a new entry's file is named from (Decap's slug, which runs
  // after this), tidied as the names of files are (see `tidyLetters`).
  var namedFrom = ["title", "number"];
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      // `extra` goes to the templates untouched, empty values and all.
      var extra = data.get("extra");
      var tidy = withoutBlanks(data);
      namedFrom.forEach(function (name) {
        var value = tidy.get(name);
        if (typeof value === "string") tidy = tidy.set(name, tidyLetters(value));
      });
      return extra === undefined ? tidy : tidy.set("extra", extra);
    },
  });

  // Under `bantin serve`: the editing API. Decap's local backend sends no
  // version with a save, so an article saved in another window (or tab, or
  // text editor) after this one opened it would be overwritten without a
  // word. The version of each file read is kept and sent with its save as
  // `openedId`; bantin refuses the save (409, shown by Decap) if the file
  // changed meanwhile. Only what was read is checked: a file never read here
  // saves as before.
  if (BANTIN.events && window.fetch) {
    var versions = {};
    var remember = function (action, answer) {
      var file = function (entry) {
        if (entry && entry.file && typeof entry.file.path === "string") {
          if (typeof entry.file.id === "string") versions[entry.file.path] = entry.file.id;
          else delete versions[entry.file.path];
        }
      };
      if (action === "getEntry") file(answer);
      if ((action === "entriesByFolder" || action === "entriesByFiles") && Array.isArray(answer)) {
        answer.forEach(file);
      }
      if (action === "persistEntry" && answer && answer.versions) {
        Object.keys(answer.versions).forEach(function (path) {
          versions[path] = answer.versions[path];
        });
      }
    };
    var send = window.fetch;
    window.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      var request = null;
      if (/\/api\/v1$/.test(url) && init && typeof init.body === "string") {
        try { request = JSON.parse(init.body); } catch (e) { request = null; }
      }
      if (!request || typeof request.action !== "string") return send.apply(window, arguments);
      var files = request.params && request.params.dataFiles;
      // A save (or an upload, or a deletion): what the last one brought to
      // look at again is no longer news.
      var change = ["persistEntry", "persistMedia", "deleteFile", "deleteFiles"]
        .indexOf(request.action) >= 0;
      if (change) window.dispatchEvent(new Event("bantin-saving"));
      if (request.action === "persistEntry" && Array.isArray(files)) {
        files.forEach(function (file) {
          if (file && versions[file.path] !== undefined) file.openedId = versions[file.path];
        });
        init = Object.assign({}, init, { body: JSON.stringify(request) });
      }
      var saved = function (save) {
        if (!change) return;
        window.dispatchEvent(new CustomEvent("bantin-saved", { detail: save }));
      };
      return send.call(window, input, init).then(function (response) {
        saved(Number(response.headers.get("bantin-save")) || 0);
        if (!response.ok) return response;
        return response.clone().json().then(
          function (answer) { remember(request.action, answer); return response; },
          function () { return response; });
      }, function (error) { saved(0); throw error; });
    };
  }

  // Under `bantin serve`: a saved file goes through the build's checks; their
  // errors show over the editor until the file is fixed.
  if (!BANTIN.events || !window.EventSource) return;
  var banner = document.createElement("div");
  banner.id = "bantin-errors";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  var bar =
    "position:fixed;left:0;right:0;bottom:0;z-index:100000;max-height:40vh;overflow:auto;" +
    "margin:0;padding:12px 16px;font:14px/1.5 monospace;white-space:pre-wrap;";
  banner.style.cssText = bar + "background:#fff4f4;color:#7a0000;border-top:3px solid #c00";
  document.body.appendChild(banner);
  // What a save published but should be looked at again (a picture it shows
  // is missing, an address readers had is gone): until closed or the next save.
  var notice = document.createElement("div");
  notice.id = "bantin-warnings";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  notice.style.cssText = bar + "background:#fffbe6;color:#4d3800;border-top:3px solid #b08000";
  var noticeText = document.createElement("div");
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = "Đóng";
  close.style.cssText = "float:right;margin-left:12px;font:inherit";
  // The server tells an editor opened after a save what that save brought;
  // one the clerk closed is not shown again when the page is reloaded.
  var closedKey = "bantin-closed-notice";
  var remembered = function (text) {
    try {
      if (text === undefined) return window.sessionStorage.getItem(closedKey);
      if (text === null) window.sessionStorage.removeItem(closedKey);
      else window.sessionStorage.setItem(closedKey, text);
    } catch (e) { /* no storage: a reload shows it again */ }
    return null;
  };
  close.addEventListener("click", function () {
    notice.hidden = true;
    remembered(noticeText.textContent);
  });
  // Each notice carries the number of the save whose rebuild told it. One
  // told before the clerk's last save, however late it arrives, is not
  // shown; while a save is on its way (its number not known yet), the last
  // notice waits for it.
  var savedAt = 0, saving = 0, held = null;
  var showNotice = function (told) {
    if (told.save < savedAt) return;
    var text = "Đã lưu, nhưng cần xem lại:\n" + told.text;
    if (text === remembered()) return;
    noticeText.textContent = text;
    notice.hidden = false;
  };
  window.addEventListener("bantin-saving", function () {
    saving += 1;
    notice.hidden = true;
    remembered(null);
  });
  window.addEventListener("bantin-saved", function (e) {
    saving = Math.max(0, saving - 1);
    savedAt = Math.max(savedAt, e.detail || 0);
    if (saving === 0 && held) {
      var told = held;
      held = null;
      showNotice(told);
    }
  });
  notice.appendChild(close);
  notice.appendChild(noticeText);
  document.body.appendChild(notice);
  var events = new EventSource(BANTIN.events);
  events.addEventListener("broken", function (e) {
    banner.textContent = "Trang chưa dựng lại được, hãy sửa:\n" + JSON.parse(e.data);
    banner.hidden = false;
    notice.hidden = true;
  });
  events.addEventListener("warned", function (e) {
    var told = JSON.parse(e.data);
    if (saving > 0) held = told;
    else showNotice(told);
  });
  events.addEventListener("ok", function () { banner.hidden = true; });
  // Not the notice: a save may rebuild twice (its file seen written twice),
  // and the second, finding nothing new, must not hide what the first told.
  events.addEventListener("reload", function () { banner.hidden = true; });
})();
