import { createRequire as __carSyncCreateRequire } from 'node:module';
const require = __carSyncCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lazy-builtin:node:http
var require_node_http = __commonJS({
  "lazy-builtin:node:http"(exports, module) {
    module.exports = __require("node:http");
  }
});

// lazy-builtin:node:https
var require_node_https = __commonJS({
  "lazy-builtin:node:https"(exports, module) {
    module.exports = __require("node:https");
  }
});

// node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
  const usingSsl = reqUrl.protocol === "https:";
  if (checkBypass(reqUrl)) {
    return void 0;
  }
  const proxyVar = (() => {
    if (usingSsl) {
      return process.env["https_proxy"] || process.env["HTTPS_PROXY"];
    } else {
      return process.env["http_proxy"] || process.env["HTTP_PROXY"];
    }
  })();
  if (proxyVar) {
    try {
      return new DecodedURL(proxyVar);
    } catch (_a) {
      if (!proxyVar.startsWith("http://") && !proxyVar.startsWith("https://"))
        return new DecodedURL(`http://${proxyVar}`);
    }
  } else {
    return void 0;
  }
}
function checkBypass(reqUrl) {
  if (!reqUrl.hostname) {
    return false;
  }
  const reqHost = reqUrl.hostname;
  if (isLoopbackAddress(reqHost)) {
    return true;
  }
  const noProxy = process.env["no_proxy"] || process.env["NO_PROXY"] || "";
  if (!noProxy) {
    return false;
  }
  let reqPort;
  if (reqUrl.port) {
    reqPort = Number(reqUrl.port);
  } else if (reqUrl.protocol === "http:") {
    reqPort = 80;
  } else if (reqUrl.protocol === "https:") {
    reqPort = 443;
  }
  const upperReqHosts = [reqUrl.hostname.toUpperCase()];
  if (typeof reqPort === "number") {
    upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
  }
  for (const upperNoProxyItem of noProxy.split(",").map((x) => x.trim().toUpperCase()).filter((x) => x)) {
    if (upperNoProxyItem === "*" || upperReqHosts.some((x) => x === upperNoProxyItem || x.endsWith(`.${upperNoProxyItem}`) || upperNoProxyItem.startsWith(".") && x.endsWith(`${upperNoProxyItem}`))) {
      return true;
    }
  }
  return false;
}
function isLoopbackAddress(host) {
  const hostLower = host.toLowerCase();
  return hostLower === "localhost" || hostLower.startsWith("127.") || hostLower.startsWith("[::1]") || hostLower.startsWith("[0:0:0:0:0:0:0:1]");
}
var DecodedURL;
var init_proxy = __esm({
  "node_modules/@actions/http-client/lib/proxy.js"() {
    DecodedURL = class extends URL {
      constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
      }
      get username() {
        return this._decodedUsername;
      }
      get password() {
        return this._decodedPassword;
      }
    };
  }
});

// node_modules/tunnel/lib/tunnel.js
var require_tunnel = __commonJS({
  "node_modules/tunnel/lib/tunnel.js"(exports) {
    "use strict";
    var net = __require("net");
    var tls = __require("tls");
    var http2 = __require("http");
    var https2 = __require("https");
    var events2 = __require("events");
    var assert = __require("assert");
    var util = __require("util");
    exports.httpOverHttp = httpOverHttp2;
    exports.httpsOverHttp = httpsOverHttp2;
    exports.httpOverHttps = httpOverHttps2;
    exports.httpsOverHttps = httpsOverHttps2;
    function httpOverHttp2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http2.request;
      return agent;
    }
    function httpsOverHttp2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http2.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function httpOverHttps2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https2.request;
      return agent;
    }
    function httpsOverHttps2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https2.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function TunnelingAgent(options) {
      var self = this;
      self.options = options || {};
      self.proxyOptions = self.options.proxy || {};
      self.maxSockets = self.options.maxSockets || http2.Agent.defaultMaxSockets;
      self.requests = [];
      self.sockets = [];
      self.on("free", function onFree(socket, host, port, localAddress) {
        var options2 = toOptions(host, port, localAddress);
        for (var i = 0, len = self.requests.length; i < len; ++i) {
          var pending = self.requests[i];
          if (pending.host === options2.host && pending.port === options2.port) {
            self.requests.splice(i, 1);
            pending.request.onSocket(socket);
            return;
          }
        }
        socket.destroy();
        self.removeSocket(socket);
      });
    }
    util.inherits(TunnelingAgent, events2.EventEmitter);
    TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
      var self = this;
      var options = mergeOptions({ request: req }, self.options, toOptions(host, port, localAddress));
      if (self.sockets.length >= this.maxSockets) {
        self.requests.push(options);
        return;
      }
      self.createSocket(options, function(socket) {
        socket.on("free", onFree);
        socket.on("close", onCloseOrRemove);
        socket.on("agentRemove", onCloseOrRemove);
        req.onSocket(socket);
        function onFree() {
          self.emit("free", socket, options);
        }
        function onCloseOrRemove(err) {
          self.removeSocket(socket);
          socket.removeListener("free", onFree);
          socket.removeListener("close", onCloseOrRemove);
          socket.removeListener("agentRemove", onCloseOrRemove);
        }
      });
    };
    TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
      var self = this;
      var placeholder = {};
      self.sockets.push(placeholder);
      var connectOptions = mergeOptions({}, self.proxyOptions, {
        method: "CONNECT",
        path: options.host + ":" + options.port,
        agent: false,
        headers: {
          host: options.host + ":" + options.port
        }
      });
      if (options.localAddress) {
        connectOptions.localAddress = options.localAddress;
      }
      if (connectOptions.proxyAuth) {
        connectOptions.headers = connectOptions.headers || {};
        connectOptions.headers["Proxy-Authorization"] = "Basic " + new Buffer(connectOptions.proxyAuth).toString("base64");
      }
      debug2("making CONNECT request");
      var connectReq = self.request(connectOptions);
      connectReq.useChunkedEncodingByDefault = false;
      connectReq.once("response", onResponse);
      connectReq.once("upgrade", onUpgrade);
      connectReq.once("connect", onConnect);
      connectReq.once("error", onError);
      connectReq.end();
      function onResponse(res) {
        res.upgrade = true;
      }
      function onUpgrade(res, socket, head) {
        process.nextTick(function() {
          onConnect(res, socket, head);
        });
      }
      function onConnect(res, socket, head) {
        connectReq.removeAllListeners();
        socket.removeAllListeners();
        if (res.statusCode !== 200) {
          debug2(
            "tunneling socket could not be established, statusCode=%d",
            res.statusCode
          );
          socket.destroy();
          var error2 = new Error("tunneling socket could not be established, statusCode=" + res.statusCode);
          error2.code = "ECONNRESET";
          options.request.emit("error", error2);
          self.removeSocket(placeholder);
          return;
        }
        if (head.length > 0) {
          debug2("got illegal response body from proxy");
          socket.destroy();
          var error2 = new Error("got illegal response body from proxy");
          error2.code = "ECONNRESET";
          options.request.emit("error", error2);
          self.removeSocket(placeholder);
          return;
        }
        debug2("tunneling connection has established");
        self.sockets[self.sockets.indexOf(placeholder)] = socket;
        return cb(socket);
      }
      function onError(cause) {
        connectReq.removeAllListeners();
        debug2(
          "tunneling socket could not be established, cause=%s\n",
          cause.message,
          cause.stack
        );
        var error2 = new Error("tunneling socket could not be established, cause=" + cause.message);
        error2.code = "ECONNRESET";
        options.request.emit("error", error2);
        self.removeSocket(placeholder);
      }
    };
    TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
      var pos = this.sockets.indexOf(socket);
      if (pos === -1) {
        return;
      }
      this.sockets.splice(pos, 1);
      var pending = this.requests.shift();
      if (pending) {
        this.createSocket(pending, function(socket2) {
          pending.request.onSocket(socket2);
        });
      }
    };
    function createSecureSocket(options, cb) {
      var self = this;
      TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
        var hostHeader = options.request.getHeader("host");
        var tlsOptions = mergeOptions({}, self.options, {
          socket,
          servername: hostHeader ? hostHeader.replace(/:.*$/, "") : options.host
        });
        var secureSocket = tls.connect(0, tlsOptions);
        self.sockets[self.sockets.indexOf(socket)] = secureSocket;
        cb(secureSocket);
      });
    }
    function toOptions(host, port, localAddress) {
      if (typeof host === "string") {
        return {
          host,
          port,
          localAddress
        };
      }
      return host;
    }
    function mergeOptions(target) {
      for (var i = 1, len = arguments.length; i < len; ++i) {
        var overrides = arguments[i];
        if (typeof overrides === "object") {
          var keys = Object.keys(overrides);
          for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
            var k = keys[j];
            if (overrides[k] !== void 0) {
              target[k] = overrides[k];
            }
          }
        }
      }
      return target;
    }
    var debug2;
    if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
      debug2 = function() {
        var args = Array.prototype.slice.call(arguments);
        if (typeof args[0] === "string") {
          args[0] = "TUNNEL: " + args[0];
        } else {
          args.unshift("TUNNEL:");
        }
        console.error.apply(console, args);
      };
    } else {
      debug2 = function() {
      };
    }
    exports.debug = debug2;
  }
});

// node_modules/tunnel/index.js
var require_tunnel2 = __commonJS({
  "node_modules/tunnel/index.js"(exports, module) {
    module.exports = require_tunnel();
  }
});

// separate-file:undici
var undici_exports = {};
__export(undici_exports, {
  Agent: () => Agent,
  ProxyAgent: () => ProxyAgent,
  fetch: () => fetch
});
var real, load, fetch, Agent, ProxyAgent;
var init_undici = __esm({
  "separate-file:undici"() {
    load = () => real ??= __require("./undici.cjs");
    fetch = (...args) => load().fetch(...args);
    Agent = class {
      constructor(...args) {
        return new (load()).Agent(...args);
      }
    };
    ProxyAgent = class {
      constructor(...args) {
        return new (load()).ProxyAgent(...args);
      }
    };
  }
});

// node_modules/@actions/http-client/lib/index.js
var lib_exports = {};
__export(lib_exports, {
  Headers: () => Headers,
  HttpClient: () => HttpClient,
  HttpClientError: () => HttpClientError,
  HttpClientResponse: () => HttpClientResponse,
  HttpCodes: () => HttpCodes,
  MediaTypes: () => MediaTypes,
  getProxyUrl: () => getProxyUrl2,
  isHttps: () => isHttps
});
function getProxyUrl2(serverUrl) {
  const proxyUrl = getProxyUrl(new URL(serverUrl));
  return proxyUrl ? proxyUrl.href : "";
}
function isHttps(requestUrl) {
  const parsedUrl = new URL(requestUrl);
  return parsedUrl.protocol === "https:";
}
var http, https, tunnel, __awaiter, HttpCodes, Headers, MediaTypes, HttpRedirectCodes, HttpResponseRetryCodes, RetryableHttpVerbs, ExponentialBackoffCeiling, ExponentialBackoffTimeSlice, HttpClientError, HttpClientResponse, HttpClient, lowercaseKeys;
var init_lib = __esm({
  "node_modules/@actions/http-client/lib/index.js"() {
    http = __toESM(require_node_http(), 1);
    https = __toESM(require_node_https(), 1);
    init_proxy();
    tunnel = __toESM(require_tunnel2(), 1);
    init_undici();
    __awaiter = function(thisArg, _arguments, P, generator) {
      function adopt(value) {
        return value instanceof P ? value : new P(function(resolve2) {
          resolve2(value);
        });
      }
      return new (P || (P = Promise))(function(resolve2, reject) {
        function fulfilled(value) {
          try {
            step(generator.next(value));
          } catch (e) {
            reject(e);
          }
        }
        function rejected(value) {
          try {
            step(generator["throw"](value));
          } catch (e) {
            reject(e);
          }
        }
        function step(result) {
          result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
        }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
      });
    };
    (function(HttpCodes2) {
      HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
      HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
      HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
      HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
      HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
      HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
      HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
      HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
      HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
      HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
      HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
      HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
      HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
      HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
      HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
      HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
      HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
      HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
      HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
      HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
      HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
      HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
      HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
      HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
      HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
      HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
      HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
    })(HttpCodes || (HttpCodes = {}));
    (function(Headers2) {
      Headers2["Accept"] = "accept";
      Headers2["ContentType"] = "content-type";
    })(Headers || (Headers = {}));
    (function(MediaTypes2) {
      MediaTypes2["ApplicationJson"] = "application/json";
    })(MediaTypes || (MediaTypes = {}));
    HttpRedirectCodes = [
      HttpCodes.MovedPermanently,
      HttpCodes.ResourceMoved,
      HttpCodes.SeeOther,
      HttpCodes.TemporaryRedirect,
      HttpCodes.PermanentRedirect
    ];
    HttpResponseRetryCodes = [
      HttpCodes.BadGateway,
      HttpCodes.ServiceUnavailable,
      HttpCodes.GatewayTimeout
    ];
    RetryableHttpVerbs = ["OPTIONS", "GET", "DELETE", "HEAD"];
    ExponentialBackoffCeiling = 10;
    ExponentialBackoffTimeSlice = 5;
    HttpClientError = class _HttpClientError extends Error {
      constructor(message, statusCode) {
        super(message);
        this.name = "HttpClientError";
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, _HttpClientError.prototype);
      }
    };
    HttpClientResponse = class {
      constructor(message) {
        this.message = message;
      }
      readBody() {
        return __awaiter(this, void 0, void 0, function* () {
          return new Promise((resolve2) => __awaiter(this, void 0, void 0, function* () {
            let output = Buffer.alloc(0);
            this.message.on("data", (chunk) => {
              output = Buffer.concat([output, chunk]);
            });
            this.message.on("end", () => {
              resolve2(output.toString());
            });
          }));
        });
      }
      readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
          return new Promise((resolve2) => __awaiter(this, void 0, void 0, function* () {
            const chunks = [];
            this.message.on("data", (chunk) => {
              chunks.push(chunk);
            });
            this.message.on("end", () => {
              resolve2(Buffer.concat(chunks));
            });
          }));
        });
      }
    };
    HttpClient = class {
      constructor(userAgent2, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent2);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
          if (requestOptions.ignoreSslError != null) {
            this._ignoreSslError = requestOptions.ignoreSslError;
          }
          this._socketTimeout = requestOptions.socketTimeout;
          if (requestOptions.allowRedirects != null) {
            this._allowRedirects = requestOptions.allowRedirects;
          }
          if (requestOptions.allowRedirectDowngrade != null) {
            this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
          }
          if (requestOptions.maxRedirects != null) {
            this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
          }
          if (requestOptions.keepAlive != null) {
            this._keepAlive = requestOptions.keepAlive;
          }
          if (requestOptions.allowRetries != null) {
            this._allowRetries = requestOptions.allowRetries;
          }
          if (requestOptions.maxRetries != null) {
            this._maxRetries = requestOptions.maxRetries;
          }
        }
      }
      options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("OPTIONS", requestUrl, null, additionalHeaders || {});
        });
      }
      get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("GET", requestUrl, null, additionalHeaders || {});
        });
      }
      del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("DELETE", requestUrl, null, additionalHeaders || {});
        });
      }
      post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("POST", requestUrl, data, additionalHeaders || {});
        });
      }
      patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("PATCH", requestUrl, data, additionalHeaders || {});
        });
      }
      put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("PUT", requestUrl, data, additionalHeaders || {});
        });
      }
      head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request("HEAD", requestUrl, null, additionalHeaders || {});
        });
      }
      sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
          return this.request(verb, requestUrl, stream, additionalHeaders);
        });
      }
      /**
       * Gets a typed object from an endpoint
       * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
       */
      getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
          additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
          const res = yield this.get(requestUrl, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
          additionalHeaders[Headers.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
          const res = yield this.post(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
          additionalHeaders[Headers.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
          const res = yield this.put(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
          additionalHeaders[Headers.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
          const res = yield this.patch(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      /**
       * Makes a raw http request.
       * All other methods such as get, post, patch, and request ultimately call this.
       * Prefer get, del, post and patch
       */
      request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
          if (this._disposed) {
            throw new Error("Client has already been disposed.");
          }
          const parsedUrl = new URL(requestUrl);
          let info2 = this._prepareRequest(verb, parsedUrl, headers);
          const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb) ? this._maxRetries + 1 : 1;
          let numTries = 0;
          let response;
          do {
            response = yield this.requestRaw(info2, data);
            if (response && response.message && response.message.statusCode === HttpCodes.Unauthorized) {
              let authenticationHandler;
              for (const handler2 of this.handlers) {
                if (handler2.canHandleAuthentication(response)) {
                  authenticationHandler = handler2;
                  break;
                }
              }
              if (authenticationHandler) {
                return authenticationHandler.handleAuthentication(this, info2, data);
              } else {
                return response;
              }
            }
            let redirectsRemaining = this._maxRedirects;
            while (response.message.statusCode && HttpRedirectCodes.includes(response.message.statusCode) && this._allowRedirects && redirectsRemaining > 0) {
              const redirectUrl = response.message.headers["location"];
              if (!redirectUrl) {
                break;
              }
              const parsedRedirectUrl = new URL(redirectUrl);
              if (parsedUrl.protocol === "https:" && parsedUrl.protocol !== parsedRedirectUrl.protocol && !this._allowRedirectDowngrade) {
                throw new Error("Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.");
              }
              yield response.readBody();
              if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                for (const header2 in headers) {
                  if (header2.toLowerCase() === "authorization") {
                    delete headers[header2];
                  }
                }
              }
              info2 = this._prepareRequest(verb, parsedRedirectUrl, headers);
              response = yield this.requestRaw(info2, data);
              redirectsRemaining--;
            }
            if (!response.message.statusCode || !HttpResponseRetryCodes.includes(response.message.statusCode)) {
              return response;
            }
            numTries += 1;
            if (numTries < maxTries) {
              yield response.readBody();
              yield this._performExponentialBackoff(numTries);
            }
          } while (numTries < maxTries);
          return response;
        });
      }
      /**
       * Needs to be called if keepAlive is set to true in request options.
       */
      dispose() {
        if (this._agent) {
          this._agent.destroy();
        }
        this._disposed = true;
      }
      /**
       * Raw request.
       * @param info
       * @param data
       */
      requestRaw(info2, data) {
        return __awaiter(this, void 0, void 0, function* () {
          return new Promise((resolve2, reject) => {
            function callbackForResult(err, res) {
              if (err) {
                reject(err);
              } else if (!res) {
                reject(new Error("Unknown error"));
              } else {
                resolve2(res);
              }
            }
            this.requestRawWithCallback(info2, data, callbackForResult);
          });
        });
      }
      /**
       * Raw request with callback.
       * @param info
       * @param data
       * @param onResult
       */
      requestRawWithCallback(info2, data, onResult) {
        if (typeof data === "string") {
          if (!info2.options.headers) {
            info2.options.headers = {};
          }
          info2.options.headers["Content-Length"] = Buffer.byteLength(data, "utf8");
        }
        let callbackCalled = false;
        function handleResult(err, res) {
          if (!callbackCalled) {
            callbackCalled = true;
            onResult(err, res);
          }
        }
        const req = info2.httpModule.request(info2.options, (msg) => {
          const res = new HttpClientResponse(msg);
          handleResult(void 0, res);
        });
        let socket;
        req.on("socket", (sock) => {
          socket = sock;
        });
        req.setTimeout(this._socketTimeout || 3 * 6e4, () => {
          if (socket) {
            socket.end();
          }
          handleResult(new Error(`Request timeout: ${info2.options.path}`));
        });
        req.on("error", function(err) {
          handleResult(err);
        });
        if (data && typeof data === "string") {
          req.write(data, "utf8");
        }
        if (data && typeof data !== "string") {
          data.on("close", function() {
            req.end();
          });
          data.pipe(req);
        } else {
          req.end();
        }
      }
      /**
       * Gets an http agent. This function is useful when you need an http agent that handles
       * routing through a proxy server - depending upon the url and proxy environment variables.
       * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
       */
      getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
      }
      getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
          return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
      }
      _prepareRequest(method, requestUrl, headers) {
        const info2 = {};
        info2.parsedUrl = requestUrl;
        const usingSsl = info2.parsedUrl.protocol === "https:";
        info2.httpModule = usingSsl ? https : http;
        const defaultPort = usingSsl ? 443 : 80;
        info2.options = {};
        info2.options.host = info2.parsedUrl.hostname;
        info2.options.port = info2.parsedUrl.port ? parseInt(info2.parsedUrl.port) : defaultPort;
        info2.options.path = (info2.parsedUrl.pathname || "") + (info2.parsedUrl.search || "");
        info2.options.method = method;
        info2.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
          info2.options.headers["user-agent"] = this.userAgent;
        }
        info2.options.agent = this._getAgent(info2.parsedUrl);
        if (this.handlers) {
          for (const handler2 of this.handlers) {
            handler2.prepareRequest(info2.options);
          }
        }
        return info2;
      }
      _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
          return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
      }
      /**
       * Gets an existing header value or returns a default.
       * Handles converting number header values to strings since HTTP headers must be strings.
       * Note: This returns string | string[] since some headers can have multiple values.
       * For headers that must always be a single string (like Content-Type), use the
       * specialized _getExistingOrDefaultContentTypeHeader method instead.
       */
      _getExistingOrDefaultHeader(additionalHeaders, header2, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
          const headerValue = lowercaseKeys(this.requestOptions.headers)[header2];
          if (headerValue) {
            clientHeader = typeof headerValue === "number" ? headerValue.toString() : headerValue;
          }
        }
        const additionalValue = additionalHeaders[header2];
        if (additionalValue !== void 0) {
          return typeof additionalValue === "number" ? additionalValue.toString() : additionalValue;
        }
        if (clientHeader !== void 0) {
          return clientHeader;
        }
        return _default;
      }
      /**
       * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
       * Always returns a single string (not an array) since Content-Type should be a single value.
       * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
       * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
       * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
       */
      _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
          const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
          if (headerValue) {
            if (typeof headerValue === "number") {
              clientHeader = String(headerValue);
            } else if (Array.isArray(headerValue)) {
              clientHeader = headerValue.join(", ");
            } else {
              clientHeader = headerValue;
            }
          }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        if (additionalValue !== void 0) {
          if (typeof additionalValue === "number") {
            return String(additionalValue);
          } else if (Array.isArray(additionalValue)) {
            return additionalValue.join(", ");
          } else {
            return additionalValue;
          }
        }
        if (clientHeader !== void 0) {
          return clientHeader;
        }
        return _default;
      }
      _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
          agent = this._proxyAgent;
        }
        if (!useProxy) {
          agent = this._agent;
        }
        if (agent) {
          return agent;
        }
        const usingSsl = parsedUrl.protocol === "https:";
        let maxSockets = 100;
        if (this.requestOptions) {
          maxSockets = this.requestOptions.maxSockets || http.globalAgent.maxSockets;
        }
        if (proxyUrl && proxyUrl.hostname) {
          const agentOptions = {
            maxSockets,
            keepAlive: this._keepAlive,
            proxy: Object.assign(Object.assign({}, (proxyUrl.username || proxyUrl.password) && {
              proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
            }), { host: proxyUrl.hostname, port: proxyUrl.port })
          };
          let tunnelAgent;
          const overHttps = proxyUrl.protocol === "https:";
          if (usingSsl) {
            tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
          } else {
            tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
          }
          agent = tunnelAgent(agentOptions);
          this._proxyAgent = agent;
        }
        if (!agent) {
          const options = { keepAlive: this._keepAlive, maxSockets };
          agent = usingSsl ? new https.Agent(options) : new http.Agent(options);
          this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
          agent.options = Object.assign(agent.options || {}, {
            rejectUnauthorized: false
          });
        }
        return agent;
      }
      _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
          proxyAgent = this._proxyAgentDispatcher;
        }
        if (proxyAgent) {
          return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === "https:";
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, (proxyUrl.username || proxyUrl.password) && {
          token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString("base64")}`
        }));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
          proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
            rejectUnauthorized: false
          });
        }
        return proxyAgent;
      }
      _getUserAgentWithOrchestrationId(userAgent2) {
        const baseUserAgent = userAgent2 || "actions/http-client";
        const orchId = process.env["ACTIONS_ORCHESTRATION_ID"];
        if (orchId) {
          const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, "_");
          return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
      }
      _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
          retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
          const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
          return new Promise((resolve2) => setTimeout(() => resolve2(), ms));
        });
      }
      _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
          return new Promise((resolve2, reject) => __awaiter(this, void 0, void 0, function* () {
            const statusCode = res.message.statusCode || 0;
            const response = {
              statusCode,
              result: null,
              headers: {}
            };
            if (statusCode === HttpCodes.NotFound) {
              resolve2(response);
            }
            function dateTimeDeserializer(key, value) {
              if (typeof value === "string") {
                const a = new Date(value);
                if (!isNaN(a.valueOf())) {
                  return a;
                }
              }
              return value;
            }
            let obj;
            let contents;
            try {
              contents = yield res.readBody();
              if (contents && contents.length > 0) {
                if (options && options.deserializeDates) {
                  obj = JSON.parse(contents, dateTimeDeserializer);
                } else {
                  obj = JSON.parse(contents);
                }
                response.result = obj;
              }
              response.headers = res.message.headers;
            } catch (err) {
            }
            if (statusCode > 299) {
              let msg;
              if (obj && obj.message) {
                msg = obj.message;
              } else if (contents && contents.length > 0) {
                msg = contents;
              } else {
                msg = `Failed request: (${statusCode})`;
              }
              const err = new HttpClientError(msg, statusCode);
              err.result = response.result;
              reject(err);
            } else {
              resolve2(response);
            }
          }));
        });
      }
    };
    lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => (c[k.toLowerCase()] = obj[k], c), {});
  }
});

// node_modules/@actions/github/lib/context.js
import { readFileSync, existsSync as existsSync2 } from "fs";
import { EOL as EOL6 } from "os";
var Context;
var init_context = __esm({
  "node_modules/@actions/github/lib/context.js"() {
    Context = class {
      /**
       * Hydrate the context from the environment
       */
      constructor() {
        var _a, _b, _c;
        this.payload = {};
        if (process.env.GITHUB_EVENT_PATH) {
          if (existsSync2(process.env.GITHUB_EVENT_PATH)) {
            this.payload = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, { encoding: "utf8" }));
          } else {
            const path13 = process.env.GITHUB_EVENT_PATH;
            process.stdout.write(`GITHUB_EVENT_PATH ${path13} does not exist${EOL6}`);
          }
        }
        this.eventName = process.env.GITHUB_EVENT_NAME;
        this.sha = process.env.GITHUB_SHA;
        this.ref = process.env.GITHUB_REF;
        this.workflow = process.env.GITHUB_WORKFLOW;
        this.action = process.env.GITHUB_ACTION;
        this.actor = process.env.GITHUB_ACTOR;
        this.job = process.env.GITHUB_JOB;
        this.runAttempt = parseInt(process.env.GITHUB_RUN_ATTEMPT, 10);
        this.runNumber = parseInt(process.env.GITHUB_RUN_NUMBER, 10);
        this.runId = parseInt(process.env.GITHUB_RUN_ID, 10);
        this.apiUrl = (_a = process.env.GITHUB_API_URL) !== null && _a !== void 0 ? _a : `https://api.github.com`;
        this.serverUrl = (_b = process.env.GITHUB_SERVER_URL) !== null && _b !== void 0 ? _b : `https://github.com`;
        this.graphqlUrl = (_c = process.env.GITHUB_GRAPHQL_URL) !== null && _c !== void 0 ? _c : `https://api.github.com/graphql`;
      }
      get issue() {
        const payload = this.payload;
        return Object.assign(Object.assign({}, this.repo), { number: (payload.issue || payload.pull_request || payload).number });
      }
      get repo() {
        if (process.env.GITHUB_REPOSITORY) {
          const [owner, repo] = process.env.GITHUB_REPOSITORY.split("/");
          return { owner, repo };
        }
        if (this.payload.repository) {
          return {
            owner: this.payload.repository.owner.login,
            repo: this.payload.repository.name
          };
        }
        throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
      }
    };
  }
});

// node_modules/@actions/github/node_modules/@actions/http-client/lib/proxy.js
var require_proxy = __commonJS({
  "node_modules/@actions/github/node_modules/@actions/http-client/lib/proxy.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getProxyUrl = getProxyUrl3;
    exports.checkBypass = checkBypass2;
    function getProxyUrl3(reqUrl) {
      const usingSsl = reqUrl.protocol === "https:";
      if (checkBypass2(reqUrl)) {
        return void 0;
      }
      const proxyVar = (() => {
        if (usingSsl) {
          return process.env["https_proxy"] || process.env["HTTPS_PROXY"];
        } else {
          return process.env["http_proxy"] || process.env["HTTP_PROXY"];
        }
      })();
      if (proxyVar) {
        try {
          return new DecodedURL2(proxyVar);
        } catch (_a) {
          if (!proxyVar.startsWith("http://") && !proxyVar.startsWith("https://"))
            return new DecodedURL2(`http://${proxyVar}`);
        }
      } else {
        return void 0;
      }
    }
    function checkBypass2(reqUrl) {
      if (!reqUrl.hostname) {
        return false;
      }
      const reqHost = reqUrl.hostname;
      if (isLoopbackAddress2(reqHost)) {
        return true;
      }
      const noProxy = process.env["no_proxy"] || process.env["NO_PROXY"] || "";
      if (!noProxy) {
        return false;
      }
      let reqPort;
      if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
      } else if (reqUrl.protocol === "http:") {
        reqPort = 80;
      } else if (reqUrl.protocol === "https:") {
        reqPort = 443;
      }
      const upperReqHosts = [reqUrl.hostname.toUpperCase()];
      if (typeof reqPort === "number") {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
      }
      for (const upperNoProxyItem of noProxy.split(",").map((x) => x.trim().toUpperCase()).filter((x) => x)) {
        if (upperNoProxyItem === "*" || upperReqHosts.some((x) => x === upperNoProxyItem || x.endsWith(`.${upperNoProxyItem}`) || upperNoProxyItem.startsWith(".") && x.endsWith(`${upperNoProxyItem}`))) {
          return true;
        }
      }
      return false;
    }
    function isLoopbackAddress2(host) {
      const hostLower = host.toLowerCase();
      return hostLower === "localhost" || hostLower.startsWith("127.") || hostLower.startsWith("[::1]") || hostLower.startsWith("[0:0:0:0:0:0:0:1]");
    }
    var DecodedURL2 = class extends URL {
      constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
      }
      get username() {
        return this._decodedUsername;
      }
      get password() {
        return this._decodedPassword;
      }
    };
  }
});

// node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js
var require_lib = __commonJS({
  "node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    var __awaiter12 = exports && exports.__awaiter || function(thisArg, _arguments, P, generator) {
      function adopt(value) {
        return value instanceof P ? value : new P(function(resolve2) {
          resolve2(value);
        });
      }
      return new (P || (P = Promise))(function(resolve2, reject) {
        function fulfilled(value) {
          try {
            step(generator.next(value));
          } catch (e) {
            reject(e);
          }
        }
        function rejected(value) {
          try {
            step(generator["throw"](value));
          } catch (e) {
            reject(e);
          }
        }
        function step(result) {
          result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
        }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
      });
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.HttpClient = exports.HttpClientResponse = exports.HttpClientError = exports.MediaTypes = exports.Headers = exports.HttpCodes = void 0;
    exports.getProxyUrl = getProxyUrl3;
    exports.isHttps = isHttps2;
    var http2 = __importStar(require_node_http());
    var https2 = __importStar(require_node_https());
    var pm = __importStar(require_proxy());
    var tunnel2 = __importStar(require_tunnel2());
    var undici_1 = (init_undici(), __toCommonJS(undici_exports));
    var HttpCodes2;
    (function(HttpCodes3) {
      HttpCodes3[HttpCodes3["OK"] = 200] = "OK";
      HttpCodes3[HttpCodes3["MultipleChoices"] = 300] = "MultipleChoices";
      HttpCodes3[HttpCodes3["MovedPermanently"] = 301] = "MovedPermanently";
      HttpCodes3[HttpCodes3["ResourceMoved"] = 302] = "ResourceMoved";
      HttpCodes3[HttpCodes3["SeeOther"] = 303] = "SeeOther";
      HttpCodes3[HttpCodes3["NotModified"] = 304] = "NotModified";
      HttpCodes3[HttpCodes3["UseProxy"] = 305] = "UseProxy";
      HttpCodes3[HttpCodes3["SwitchProxy"] = 306] = "SwitchProxy";
      HttpCodes3[HttpCodes3["TemporaryRedirect"] = 307] = "TemporaryRedirect";
      HttpCodes3[HttpCodes3["PermanentRedirect"] = 308] = "PermanentRedirect";
      HttpCodes3[HttpCodes3["BadRequest"] = 400] = "BadRequest";
      HttpCodes3[HttpCodes3["Unauthorized"] = 401] = "Unauthorized";
      HttpCodes3[HttpCodes3["PaymentRequired"] = 402] = "PaymentRequired";
      HttpCodes3[HttpCodes3["Forbidden"] = 403] = "Forbidden";
      HttpCodes3[HttpCodes3["NotFound"] = 404] = "NotFound";
      HttpCodes3[HttpCodes3["MethodNotAllowed"] = 405] = "MethodNotAllowed";
      HttpCodes3[HttpCodes3["NotAcceptable"] = 406] = "NotAcceptable";
      HttpCodes3[HttpCodes3["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
      HttpCodes3[HttpCodes3["RequestTimeout"] = 408] = "RequestTimeout";
      HttpCodes3[HttpCodes3["Conflict"] = 409] = "Conflict";
      HttpCodes3[HttpCodes3["Gone"] = 410] = "Gone";
      HttpCodes3[HttpCodes3["TooManyRequests"] = 429] = "TooManyRequests";
      HttpCodes3[HttpCodes3["InternalServerError"] = 500] = "InternalServerError";
      HttpCodes3[HttpCodes3["NotImplemented"] = 501] = "NotImplemented";
      HttpCodes3[HttpCodes3["BadGateway"] = 502] = "BadGateway";
      HttpCodes3[HttpCodes3["ServiceUnavailable"] = 503] = "ServiceUnavailable";
      HttpCodes3[HttpCodes3["GatewayTimeout"] = 504] = "GatewayTimeout";
    })(HttpCodes2 || (exports.HttpCodes = HttpCodes2 = {}));
    var Headers2;
    (function(Headers3) {
      Headers3["Accept"] = "accept";
      Headers3["ContentType"] = "content-type";
    })(Headers2 || (exports.Headers = Headers2 = {}));
    var MediaTypes2;
    (function(MediaTypes3) {
      MediaTypes3["ApplicationJson"] = "application/json";
    })(MediaTypes2 || (exports.MediaTypes = MediaTypes2 = {}));
    function getProxyUrl3(serverUrl) {
      const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
      return proxyUrl ? proxyUrl.href : "";
    }
    var HttpRedirectCodes2 = [
      HttpCodes2.MovedPermanently,
      HttpCodes2.ResourceMoved,
      HttpCodes2.SeeOther,
      HttpCodes2.TemporaryRedirect,
      HttpCodes2.PermanentRedirect
    ];
    var HttpResponseRetryCodes2 = [
      HttpCodes2.BadGateway,
      HttpCodes2.ServiceUnavailable,
      HttpCodes2.GatewayTimeout
    ];
    var RetryableHttpVerbs2 = ["OPTIONS", "GET", "DELETE", "HEAD"];
    var ExponentialBackoffCeiling2 = 10;
    var ExponentialBackoffTimeSlice2 = 5;
    var HttpClientError2 = class _HttpClientError extends Error {
      constructor(message, statusCode) {
        super(message);
        this.name = "HttpClientError";
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, _HttpClientError.prototype);
      }
    };
    exports.HttpClientError = HttpClientError2;
    var HttpClientResponse2 = class {
      constructor(message) {
        this.message = message;
      }
      readBody() {
        return __awaiter12(this, void 0, void 0, function* () {
          return new Promise((resolve2) => __awaiter12(this, void 0, void 0, function* () {
            let output = Buffer.alloc(0);
            this.message.on("data", (chunk) => {
              output = Buffer.concat([output, chunk]);
            });
            this.message.on("end", () => {
              resolve2(output.toString());
            });
          }));
        });
      }
      readBodyBuffer() {
        return __awaiter12(this, void 0, void 0, function* () {
          return new Promise((resolve2) => __awaiter12(this, void 0, void 0, function* () {
            const chunks = [];
            this.message.on("data", (chunk) => {
              chunks.push(chunk);
            });
            this.message.on("end", () => {
              resolve2(Buffer.concat(chunks));
            });
          }));
        });
      }
    };
    exports.HttpClientResponse = HttpClientResponse2;
    function isHttps2(requestUrl) {
      const parsedUrl = new URL(requestUrl);
      return parsedUrl.protocol === "https:";
    }
    var HttpClient4 = class {
      constructor(userAgent2, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent2);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
          if (requestOptions.ignoreSslError != null) {
            this._ignoreSslError = requestOptions.ignoreSslError;
          }
          this._socketTimeout = requestOptions.socketTimeout;
          if (requestOptions.allowRedirects != null) {
            this._allowRedirects = requestOptions.allowRedirects;
          }
          if (requestOptions.allowRedirectDowngrade != null) {
            this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
          }
          if (requestOptions.maxRedirects != null) {
            this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
          }
          if (requestOptions.keepAlive != null) {
            this._keepAlive = requestOptions.keepAlive;
          }
          if (requestOptions.allowRetries != null) {
            this._allowRetries = requestOptions.allowRetries;
          }
          if (requestOptions.maxRetries != null) {
            this._maxRetries = requestOptions.maxRetries;
          }
        }
      }
      options(requestUrl, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("OPTIONS", requestUrl, null, additionalHeaders || {});
        });
      }
      get(requestUrl, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("GET", requestUrl, null, additionalHeaders || {});
        });
      }
      del(requestUrl, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("DELETE", requestUrl, null, additionalHeaders || {});
        });
      }
      post(requestUrl, data, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("POST", requestUrl, data, additionalHeaders || {});
        });
      }
      patch(requestUrl, data, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("PATCH", requestUrl, data, additionalHeaders || {});
        });
      }
      put(requestUrl, data, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("PUT", requestUrl, data, additionalHeaders || {});
        });
      }
      head(requestUrl, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request("HEAD", requestUrl, null, additionalHeaders || {});
        });
      }
      sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter12(this, void 0, void 0, function* () {
          return this.request(verb, requestUrl, stream, additionalHeaders);
        });
      }
      /**
       * Gets a typed object from an endpoint
       * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
       */
      getJson(requestUrl_1) {
        return __awaiter12(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
          additionalHeaders[Headers2.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers2.Accept, MediaTypes2.ApplicationJson);
          const res = yield this.get(requestUrl, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      postJson(requestUrl_1, obj_1) {
        return __awaiter12(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers2.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers2.Accept, MediaTypes2.ApplicationJson);
          additionalHeaders[Headers2.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes2.ApplicationJson);
          const res = yield this.post(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      putJson(requestUrl_1, obj_1) {
        return __awaiter12(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers2.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers2.Accept, MediaTypes2.ApplicationJson);
          additionalHeaders[Headers2.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes2.ApplicationJson);
          const res = yield this.put(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      patchJson(requestUrl_1, obj_1) {
        return __awaiter12(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
          const data = JSON.stringify(obj, null, 2);
          additionalHeaders[Headers2.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers2.Accept, MediaTypes2.ApplicationJson);
          additionalHeaders[Headers2.ContentType] = this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes2.ApplicationJson);
          const res = yield this.patch(requestUrl, data, additionalHeaders);
          return this._processResponse(res, this.requestOptions);
        });
      }
      /**
       * Makes a raw http request.
       * All other methods such as get, post, patch, and request ultimately call this.
       * Prefer get, del, post and patch
       */
      request(verb, requestUrl, data, headers) {
        return __awaiter12(this, void 0, void 0, function* () {
          if (this._disposed) {
            throw new Error("Client has already been disposed.");
          }
          const parsedUrl = new URL(requestUrl);
          let info2 = this._prepareRequest(verb, parsedUrl, headers);
          const maxTries = this._allowRetries && RetryableHttpVerbs2.includes(verb) ? this._maxRetries + 1 : 1;
          let numTries = 0;
          let response;
          do {
            response = yield this.requestRaw(info2, data);
            if (response && response.message && response.message.statusCode === HttpCodes2.Unauthorized) {
              let authenticationHandler;
              for (const handler2 of this.handlers) {
                if (handler2.canHandleAuthentication(response)) {
                  authenticationHandler = handler2;
                  break;
                }
              }
              if (authenticationHandler) {
                return authenticationHandler.handleAuthentication(this, info2, data);
              } else {
                return response;
              }
            }
            let redirectsRemaining = this._maxRedirects;
            while (response.message.statusCode && HttpRedirectCodes2.includes(response.message.statusCode) && this._allowRedirects && redirectsRemaining > 0) {
              const redirectUrl = response.message.headers["location"];
              if (!redirectUrl) {
                break;
              }
              const parsedRedirectUrl = new URL(redirectUrl);
              if (parsedUrl.protocol === "https:" && parsedUrl.protocol !== parsedRedirectUrl.protocol && !this._allowRedirectDowngrade) {
                throw new Error("Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.");
              }
              yield response.readBody();
              if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                for (const header2 in headers) {
                  if (header2.toLowerCase() === "authorization") {
                    delete headers[header2];
                  }
                }
              }
              info2 = this._prepareRequest(verb, parsedRedirectUrl, headers);
              response = yield this.requestRaw(info2, data);
              redirectsRemaining--;
            }
            if (!response.message.statusCode || !HttpResponseRetryCodes2.includes(response.message.statusCode)) {
              return response;
            }
            numTries += 1;
            if (numTries < maxTries) {
              yield response.readBody();
              yield this._performExponentialBackoff(numTries);
            }
          } while (numTries < maxTries);
          return response;
        });
      }
      /**
       * Needs to be called if keepAlive is set to true in request options.
       */
      dispose() {
        if (this._agent) {
          this._agent.destroy();
        }
        this._disposed = true;
      }
      /**
       * Raw request.
       * @param info
       * @param data
       */
      requestRaw(info2, data) {
        return __awaiter12(this, void 0, void 0, function* () {
          return new Promise((resolve2, reject) => {
            function callbackForResult(err, res) {
              if (err) {
                reject(err);
              } else if (!res) {
                reject(new Error("Unknown error"));
              } else {
                resolve2(res);
              }
            }
            this.requestRawWithCallback(info2, data, callbackForResult);
          });
        });
      }
      /**
       * Raw request with callback.
       * @param info
       * @param data
       * @param onResult
       */
      requestRawWithCallback(info2, data, onResult) {
        if (typeof data === "string") {
          if (!info2.options.headers) {
            info2.options.headers = {};
          }
          info2.options.headers["Content-Length"] = Buffer.byteLength(data, "utf8");
        }
        let callbackCalled = false;
        function handleResult(err, res) {
          if (!callbackCalled) {
            callbackCalled = true;
            onResult(err, res);
          }
        }
        const req = info2.httpModule.request(info2.options, (msg) => {
          const res = new HttpClientResponse2(msg);
          handleResult(void 0, res);
        });
        let socket;
        req.on("socket", (sock) => {
          socket = sock;
        });
        req.setTimeout(this._socketTimeout || 3 * 6e4, () => {
          if (socket) {
            socket.end();
          }
          handleResult(new Error(`Request timeout: ${info2.options.path}`));
        });
        req.on("error", function(err) {
          handleResult(err);
        });
        if (data && typeof data === "string") {
          req.write(data, "utf8");
        }
        if (data && typeof data !== "string") {
          data.on("close", function() {
            req.end();
          });
          data.pipe(req);
        } else {
          req.end();
        }
      }
      /**
       * Gets an http agent. This function is useful when you need an http agent that handles
       * routing through a proxy server - depending upon the url and proxy environment variables.
       * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
       */
      getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
      }
      getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
          return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
      }
      _prepareRequest(method, requestUrl, headers) {
        const info2 = {};
        info2.parsedUrl = requestUrl;
        const usingSsl = info2.parsedUrl.protocol === "https:";
        info2.httpModule = usingSsl ? https2 : http2;
        const defaultPort = usingSsl ? 443 : 80;
        info2.options = {};
        info2.options.host = info2.parsedUrl.hostname;
        info2.options.port = info2.parsedUrl.port ? parseInt(info2.parsedUrl.port) : defaultPort;
        info2.options.path = (info2.parsedUrl.pathname || "") + (info2.parsedUrl.search || "");
        info2.options.method = method;
        info2.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
          info2.options.headers["user-agent"] = this.userAgent;
        }
        info2.options.agent = this._getAgent(info2.parsedUrl);
        if (this.handlers) {
          for (const handler2 of this.handlers) {
            handler2.prepareRequest(info2.options);
          }
        }
        return info2;
      }
      _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
          return Object.assign({}, lowercaseKeys3(this.requestOptions.headers), lowercaseKeys3(headers || {}));
        }
        return lowercaseKeys3(headers || {});
      }
      /**
       * Gets an existing header value or returns a default.
       * Handles converting number header values to strings since HTTP headers must be strings.
       * Note: This returns string | string[] since some headers can have multiple values.
       * For headers that must always be a single string (like Content-Type), use the
       * specialized _getExistingOrDefaultContentTypeHeader method instead.
       */
      _getExistingOrDefaultHeader(additionalHeaders, header2, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
          const headerValue = lowercaseKeys3(this.requestOptions.headers)[header2];
          if (headerValue) {
            clientHeader = typeof headerValue === "number" ? headerValue.toString() : headerValue;
          }
        }
        const additionalValue = additionalHeaders[header2];
        if (additionalValue !== void 0) {
          return typeof additionalValue === "number" ? additionalValue.toString() : additionalValue;
        }
        if (clientHeader !== void 0) {
          return clientHeader;
        }
        return _default;
      }
      /**
       * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
       * Always returns a single string (not an array) since Content-Type should be a single value.
       * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
       * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
       * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
       */
      _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
          const headerValue = lowercaseKeys3(this.requestOptions.headers)[Headers2.ContentType];
          if (headerValue) {
            if (typeof headerValue === "number") {
              clientHeader = String(headerValue);
            } else if (Array.isArray(headerValue)) {
              clientHeader = headerValue.join(", ");
            } else {
              clientHeader = headerValue;
            }
          }
        }
        const additionalValue = additionalHeaders[Headers2.ContentType];
        if (additionalValue !== void 0) {
          if (typeof additionalValue === "number") {
            return String(additionalValue);
          } else if (Array.isArray(additionalValue)) {
            return additionalValue.join(", ");
          } else {
            return additionalValue;
          }
        }
        if (clientHeader !== void 0) {
          return clientHeader;
        }
        return _default;
      }
      _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
          agent = this._proxyAgent;
        }
        if (!useProxy) {
          agent = this._agent;
        }
        if (agent) {
          return agent;
        }
        const usingSsl = parsedUrl.protocol === "https:";
        let maxSockets = 100;
        if (this.requestOptions) {
          maxSockets = this.requestOptions.maxSockets || http2.globalAgent.maxSockets;
        }
        if (proxyUrl && proxyUrl.hostname) {
          const agentOptions = {
            maxSockets,
            keepAlive: this._keepAlive,
            proxy: Object.assign(Object.assign({}, (proxyUrl.username || proxyUrl.password) && {
              proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
            }), { host: proxyUrl.hostname, port: proxyUrl.port })
          };
          let tunnelAgent;
          const overHttps = proxyUrl.protocol === "https:";
          if (usingSsl) {
            tunnelAgent = overHttps ? tunnel2.httpsOverHttps : tunnel2.httpsOverHttp;
          } else {
            tunnelAgent = overHttps ? tunnel2.httpOverHttps : tunnel2.httpOverHttp;
          }
          agent = tunnelAgent(agentOptions);
          this._proxyAgent = agent;
        }
        if (!agent) {
          const options = { keepAlive: this._keepAlive, maxSockets };
          agent = usingSsl ? new https2.Agent(options) : new http2.Agent(options);
          this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
          agent.options = Object.assign(agent.options || {}, {
            rejectUnauthorized: false
          });
        }
        return agent;
      }
      _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
          proxyAgent = this._proxyAgentDispatcher;
        }
        if (proxyAgent) {
          return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === "https:";
        proxyAgent = new undici_1.ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, (proxyUrl.username || proxyUrl.password) && {
          token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString("base64")}`
        }));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
          proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
            rejectUnauthorized: false
          });
        }
        return proxyAgent;
      }
      _getUserAgentWithOrchestrationId(userAgent2) {
        const baseUserAgent = userAgent2 || "actions/http-client";
        const orchId = process.env["ACTIONS_ORCHESTRATION_ID"];
        if (orchId) {
          const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, "_");
          return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
      }
      _performExponentialBackoff(retryNumber) {
        return __awaiter12(this, void 0, void 0, function* () {
          retryNumber = Math.min(ExponentialBackoffCeiling2, retryNumber);
          const ms = ExponentialBackoffTimeSlice2 * Math.pow(2, retryNumber);
          return new Promise((resolve2) => setTimeout(() => resolve2(), ms));
        });
      }
      _processResponse(res, options) {
        return __awaiter12(this, void 0, void 0, function* () {
          return new Promise((resolve2, reject) => __awaiter12(this, void 0, void 0, function* () {
            const statusCode = res.message.statusCode || 0;
            const response = {
              statusCode,
              result: null,
              headers: {}
            };
            if (statusCode === HttpCodes2.NotFound) {
              resolve2(response);
            }
            function dateTimeDeserializer(key, value) {
              if (typeof value === "string") {
                const a = new Date(value);
                if (!isNaN(a.valueOf())) {
                  return a;
                }
              }
              return value;
            }
            let obj;
            let contents;
            try {
              contents = yield res.readBody();
              if (contents && contents.length > 0) {
                if (options && options.deserializeDates) {
                  obj = JSON.parse(contents, dateTimeDeserializer);
                } else {
                  obj = JSON.parse(contents);
                }
                response.result = obj;
              }
              response.headers = res.message.headers;
            } catch (err) {
            }
            if (statusCode > 299) {
              let msg;
              if (obj && obj.message) {
                msg = obj.message;
              } else if (contents && contents.length > 0) {
                msg = contents;
              } else {
                msg = `Failed request: (${statusCode})`;
              }
              const err = new HttpClientError2(msg, statusCode);
              err.result = response.result;
              reject(err);
            } else {
              resolve2(response);
            }
          }));
        });
      }
    };
    exports.HttpClient = HttpClient4;
    var lowercaseKeys3 = (obj) => Object.keys(obj).reduce((c, k) => (c[k.toLowerCase()] = obj[k], c), {});
  }
});

// on-demand:@actions/http-client:node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js
var real3, load3, HttpClient3;
var init_lib2 = __esm({
  "on-demand:@actions/http-client:node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js"() {
    load3 = () => real3 ??= require_lib();
    HttpClient3 = class {
      constructor(...args) {
        return new (load3()).HttpClient(...args);
      }
    };
  }
});

// node_modules/@actions/github/lib/internal/utils.js
function getAuthString(token, options) {
  if (!token && !options.auth) {
    throw new Error("Parameter token or opts.auth is required");
  } else if (token && options.auth) {
    throw new Error("Parameters token and opts.auth may not both be specified");
  }
  return typeof options.auth === "string" ? options.auth : `token ${token}`;
}
function getProxyAgent(destinationUrl) {
  const hc = new HttpClient3();
  return hc.getAgent(destinationUrl);
}
function getProxyAgentDispatcher(destinationUrl) {
  const hc = new HttpClient3();
  return hc.getAgentDispatcher(destinationUrl);
}
function getProxyFetch(destinationUrl) {
  const httpDispatcher = getProxyAgentDispatcher(destinationUrl);
  const proxyFetch = (url, opts) => __awaiter11(this, void 0, void 0, function* () {
    return fetch(url, Object.assign(Object.assign({}, opts), { dispatcher: httpDispatcher }));
  });
  return proxyFetch;
}
function getApiBaseUrl() {
  return process.env["GITHUB_API_URL"] || "https://api.github.com";
}
function getUserAgentWithOrchestrationId(baseUserAgent) {
  var _a;
  const orchId = (_a = process.env["ACTIONS_ORCHESTRATION_ID"]) === null || _a === void 0 ? void 0 : _a.trim();
  if (orchId) {
    const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, "_");
    const tag = `actions_orchestration_id/${sanitizedId}`;
    if (baseUserAgent === null || baseUserAgent === void 0 ? void 0 : baseUserAgent.includes(tag))
      return baseUserAgent;
    const ua = baseUserAgent ? `${baseUserAgent} ` : "";
    return `${ua}${tag}`;
  }
  return baseUserAgent;
}
var __awaiter11;
var init_utils = __esm({
  "node_modules/@actions/github/lib/internal/utils.js"() {
    init_lib2();
    init_undici();
    __awaiter11 = function(thisArg, _arguments, P, generator) {
      function adopt(value) {
        return value instanceof P ? value : new P(function(resolve2) {
          resolve2(value);
        });
      }
      return new (P || (P = Promise))(function(resolve2, reject) {
        function fulfilled(value) {
          try {
            step(generator.next(value));
          } catch (e) {
            reject(e);
          }
        }
        function rejected(value) {
          try {
            step(generator["throw"](value));
          } catch (e) {
            reject(e);
          }
        }
        function step(result) {
          result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
        }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
      });
    };
  }
});

// node_modules/universal-user-agent/index.js
function getUserAgent() {
  if (typeof navigator === "object" && "userAgent" in navigator) {
    return navigator.userAgent;
  }
  if (typeof process === "object" && process.version !== void 0) {
    return `Node.js/${process.version.substr(1)} (${process.platform}; ${process.arch})`;
  }
  return "<environment undetectable>";
}
var init_universal_user_agent = __esm({
  "node_modules/universal-user-agent/index.js"() {
  }
});

// node_modules/before-after-hook/lib/register.js
function register(state, name, method, options) {
  if (typeof method !== "function") {
    throw new Error("method for before hook must be a function");
  }
  if (!options) {
    options = {};
  }
  if (Array.isArray(name)) {
    return name.reverse().reduce((callback, name2) => {
      return register.bind(null, state, name2, callback, options);
    }, method)();
  }
  return Promise.resolve().then(() => {
    if (!state.registry[name]) {
      return method(options);
    }
    return state.registry[name].reduce((method2, registered) => {
      return registered.hook.bind(null, method2, options);
    }, method)();
  });
}
var init_register = __esm({
  "node_modules/before-after-hook/lib/register.js"() {
  }
});

// node_modules/before-after-hook/lib/add.js
function addHook(state, kind, name, hook2) {
  const orig = hook2;
  if (!state.registry[name]) {
    state.registry[name] = [];
  }
  if (kind === "before") {
    hook2 = (method, options) => {
      return Promise.resolve().then(orig.bind(null, options)).then(method.bind(null, options));
    };
  }
  if (kind === "after") {
    hook2 = (method, options) => {
      let result;
      return Promise.resolve().then(method.bind(null, options)).then((result_) => {
        result = result_;
        return orig(result, options);
      }).then(() => {
        return result;
      });
    };
  }
  if (kind === "error") {
    hook2 = (method, options) => {
      return Promise.resolve().then(method.bind(null, options)).catch((error2) => {
        return orig(error2, options);
      });
    };
  }
  state.registry[name].push({
    hook: hook2,
    orig
  });
}
var init_add = __esm({
  "node_modules/before-after-hook/lib/add.js"() {
  }
});

// node_modules/before-after-hook/lib/remove.js
function removeHook(state, name, method) {
  if (!state.registry[name]) {
    return;
  }
  const index = state.registry[name].map((registered) => {
    return registered.orig;
  }).indexOf(method);
  if (index === -1) {
    return;
  }
  state.registry[name].splice(index, 1);
}
var init_remove = __esm({
  "node_modules/before-after-hook/lib/remove.js"() {
  }
});

// node_modules/before-after-hook/index.js
function bindApi(hook2, state, name) {
  const removeHookRef = bindable(removeHook, null).apply(
    null,
    name ? [state, name] : [state]
  );
  hook2.api = { remove: removeHookRef };
  hook2.remove = removeHookRef;
  ["before", "error", "after", "wrap"].forEach((kind) => {
    const args = name ? [state, kind, name] : [state, kind];
    hook2[kind] = hook2.api[kind] = bindable(addHook, null).apply(null, args);
  });
}
function Singular() {
  const singularHookName = /* @__PURE__ */ Symbol("Singular");
  const singularHookState = {
    registry: {}
  };
  const singularHook = register.bind(null, singularHookState, singularHookName);
  bindApi(singularHook, singularHookState, singularHookName);
  return singularHook;
}
function Collection() {
  const state = {
    registry: {}
  };
  const hook2 = register.bind(null, state);
  bindApi(hook2, state);
  return hook2;
}
var bind, bindable, before_after_hook_default;
var init_before_after_hook = __esm({
  "node_modules/before-after-hook/index.js"() {
    init_register();
    init_add();
    init_remove();
    bind = Function.bind;
    bindable = bind.bind(bind);
    before_after_hook_default = { Singular, Collection };
  }
});

// node_modules/@octokit/endpoint/dist-bundle/index.js
function lowercaseKeys2(object) {
  if (!object) {
    return {};
  }
  return Object.keys(object).reduce((newObj, key) => {
    newObj[key.toLowerCase()] = object[key];
    return newObj;
  }, {});
}
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}
function mergeDeep(defaults3, options) {
  const result = Object.assign({}, defaults3);
  Object.keys(options).forEach((key) => {
    if (isPlainObject(options[key])) {
      if (!(key in defaults3)) Object.assign(result, { [key]: options[key] });
      else result[key] = mergeDeep(defaults3[key], options[key]);
    } else {
      Object.assign(result, { [key]: options[key] });
    }
  });
  return result;
}
function removeUndefinedProperties(obj) {
  for (const key in obj) {
    if (obj[key] === void 0) {
      delete obj[key];
    }
  }
  return obj;
}
function merge(defaults3, route, options) {
  if (typeof route === "string") {
    let [method, url] = route.split(" ");
    options = Object.assign(url ? { method, url } : { url: method }, options);
  } else {
    options = Object.assign({}, route);
  }
  options.headers = lowercaseKeys2(options.headers);
  removeUndefinedProperties(options);
  removeUndefinedProperties(options.headers);
  const mergedOptions = mergeDeep(defaults3 || {}, options);
  if (options.url === "/graphql") {
    if (defaults3 && defaults3.mediaType.previews?.length) {
      mergedOptions.mediaType.previews = defaults3.mediaType.previews.filter(
        (preview) => !mergedOptions.mediaType.previews.includes(preview)
      ).concat(mergedOptions.mediaType.previews);
    }
    mergedOptions.mediaType.previews = (mergedOptions.mediaType.previews || []).map((preview) => preview.replace(/-preview/, ""));
  }
  return mergedOptions;
}
function addQueryParameters(url, parameters) {
  const separator = /\?/.test(url) ? "&" : "?";
  const names = Object.keys(parameters);
  if (names.length === 0) {
    return url;
  }
  return url + separator + names.map((name) => {
    if (name === "q") {
      return "q=" + parameters.q.split("+").map(encodeURIComponent).join("+");
    }
    return `${name}=${encodeURIComponent(parameters[name])}`;
  }).join("&");
}
function removeNonChars(variableName) {
  return variableName.replace(/(?:^\W+)|(?:(?<!\W)\W+$)/g, "").split(/,/);
}
function extractUrlVariableNames(url) {
  const matches = url.match(urlVariableRegex);
  if (!matches) {
    return [];
  }
  return matches.map(removeNonChars).reduce((a, b) => a.concat(b), []);
}
function omit(object, keysToOmit) {
  const result = { __proto__: null };
  for (const key of Object.keys(object)) {
    if (keysToOmit.indexOf(key) === -1) {
      result[key] = object[key];
    }
  }
  return result;
}
function encodeReserved(str) {
  return str.split(/(%[0-9A-Fa-f]{2})/g).map(function(part) {
    if (!/%[0-9A-Fa-f]/.test(part)) {
      part = encodeURI(part).replace(/%5B/g, "[").replace(/%5D/g, "]");
    }
    return part;
  }).join("");
}
function encodeUnreserved(str) {
  return encodeURIComponent(str).replace(/[!'()*]/g, function(c) {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase();
  });
}
function encodeValue(operator, value, key) {
  value = operator === "+" || operator === "#" ? encodeReserved(value) : encodeUnreserved(value);
  if (key) {
    return encodeUnreserved(key) + "=" + value;
  } else {
    return value;
  }
}
function isDefined(value) {
  return value !== void 0 && value !== null;
}
function isKeyOperator(operator) {
  return operator === ";" || operator === "&" || operator === "?";
}
function getValues(context3, operator, key, modifier) {
  var value = context3[key], result = [];
  if (isDefined(value) && value !== "") {
    if (typeof value === "string" || typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
      value = value.toString();
      if (modifier && modifier !== "*") {
        value = value.substring(0, parseInt(modifier, 10));
      }
      result.push(
        encodeValue(operator, value, isKeyOperator(operator) ? key : "")
      );
    } else {
      if (modifier === "*") {
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            result.push(
              encodeValue(operator, value2, isKeyOperator(operator) ? key : "")
            );
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              result.push(encodeValue(operator, value[k], k));
            }
          });
        }
      } else {
        const tmp = [];
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            tmp.push(encodeValue(operator, value2));
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              tmp.push(encodeUnreserved(k));
              tmp.push(encodeValue(operator, value[k].toString()));
            }
          });
        }
        if (isKeyOperator(operator)) {
          result.push(encodeUnreserved(key) + "=" + tmp.join(","));
        } else if (tmp.length !== 0) {
          result.push(tmp.join(","));
        }
      }
    }
  } else {
    if (operator === ";") {
      if (isDefined(value)) {
        result.push(encodeUnreserved(key));
      }
    } else if (value === "" && (operator === "&" || operator === "?")) {
      result.push(encodeUnreserved(key) + "=");
    } else if (value === "") {
      result.push("");
    }
  }
  return result;
}
function parseUrl(template) {
  return {
    expand: expand.bind(null, template)
  };
}
function expand(template, context3) {
  var operators = ["+", "#", ".", "/", ";", "?", "&"];
  template = template.replace(
    /\{([^\{\}]+)\}|([^\{\}]+)/g,
    function(_, expression, literal) {
      if (expression) {
        let operator = "";
        const values = [];
        if (operators.indexOf(expression.charAt(0)) !== -1) {
          operator = expression.charAt(0);
          expression = expression.substr(1);
        }
        expression.split(/,/g).forEach(function(variable) {
          var tmp = /([^:\*]*)(?::(\d+)|(\*))?/.exec(variable);
          values.push(getValues(context3, operator, tmp[1], tmp[2] || tmp[3]));
        });
        if (operator && operator !== "+") {
          var separator = ",";
          if (operator === "?") {
            separator = "&";
          } else if (operator !== "#") {
            separator = operator;
          }
          return (values.length !== 0 ? operator : "") + values.join(separator);
        } else {
          return values.join(",");
        }
      } else {
        return encodeReserved(literal);
      }
    }
  );
  if (template === "/") {
    return template;
  } else {
    return template.replace(/\/$/, "");
  }
}
function parse(options) {
  let method = options.method.toUpperCase();
  let url = (options.url || "/").replace(/:([a-z]\w+)/g, "{$1}");
  let headers = Object.assign({}, options.headers);
  let body;
  let parameters = omit(options, [
    "method",
    "baseUrl",
    "url",
    "headers",
    "request",
    "mediaType"
  ]);
  const urlVariableNames = extractUrlVariableNames(url);
  url = parseUrl(url).expand(parameters);
  if (!/^http/.test(url)) {
    url = options.baseUrl + url;
  }
  const omittedParameters = Object.keys(options).filter((option) => urlVariableNames.includes(option)).concat("baseUrl");
  const remainingParameters = omit(parameters, omittedParameters);
  const isBinaryRequest = /application\/octet-stream/i.test(headers.accept);
  if (!isBinaryRequest) {
    if (options.mediaType.format) {
      headers.accept = headers.accept.split(/,/).map(
        (format) => format.replace(
          /application\/vnd(\.\w+)(\.v3)?(\.\w+)?(\+json)?$/,
          `application/vnd$1$2.${options.mediaType.format}`
        )
      ).join(",");
    }
    if (url.endsWith("/graphql")) {
      if (options.mediaType.previews?.length) {
        const previewsFromAcceptHeader = headers.accept.match(/(?<![\w-])[\w-]+(?=-preview)/g) || [];
        headers.accept = previewsFromAcceptHeader.concat(options.mediaType.previews).map((preview) => {
          const format = options.mediaType.format ? `.${options.mediaType.format}` : "+json";
          return `application/vnd.github.${preview}-preview${format}`;
        }).join(",");
      }
    }
  }
  if (["GET", "HEAD"].includes(method)) {
    url = addQueryParameters(url, remainingParameters);
  } else {
    if ("data" in remainingParameters) {
      body = remainingParameters.data;
    } else {
      if (Object.keys(remainingParameters).length) {
        body = remainingParameters;
      }
    }
  }
  if (!headers["content-type"] && typeof body !== "undefined") {
    headers["content-type"] = "application/json; charset=utf-8";
  }
  if (["PATCH", "PUT"].includes(method) && typeof body === "undefined") {
    body = "";
  }
  return Object.assign(
    { method, url, headers },
    typeof body !== "undefined" ? { body } : null,
    options.request ? { request: options.request } : null
  );
}
function endpointWithDefaults(defaults3, route, options) {
  return parse(merge(defaults3, route, options));
}
function withDefaults(oldDefaults, newDefaults) {
  const DEFAULTS2 = merge(oldDefaults, newDefaults);
  const endpoint2 = endpointWithDefaults.bind(null, DEFAULTS2);
  return Object.assign(endpoint2, {
    DEFAULTS: DEFAULTS2,
    defaults: withDefaults.bind(null, DEFAULTS2),
    merge: merge.bind(null, DEFAULTS2),
    parse
  });
}
var VERSION, userAgent, DEFAULTS, urlVariableRegex, endpoint;
var init_dist_bundle = __esm({
  "node_modules/@octokit/endpoint/dist-bundle/index.js"() {
    init_universal_user_agent();
    VERSION = "0.0.0-development";
    userAgent = `octokit-endpoint.js/${VERSION} ${getUserAgent()}`;
    DEFAULTS = {
      method: "GET",
      baseUrl: "https://api.github.com",
      headers: {
        accept: "application/vnd.github.v3+json",
        "user-agent": userAgent
      },
      mediaType: {
        format: ""
      }
    };
    urlVariableRegex = /\{[^{}}]+\}/g;
    endpoint = withDefaults(null, DEFAULTS);
  }
});

// node_modules/content-type/dist/index.js
function parse2(header2, options) {
  const stopFlags = SEMI_FLAG | (options?.comma === true ? COMMA_FLAG : 0);
  const len = header2.length;
  let valueStart = options?.start ?? 0;
  while ((CHAR_MAP[header2.charCodeAt(valueStart)] & OWS) !== 0) {
    valueStart++;
  }
  let index = valueStart;
  let typeFlags = 0;
  let whitespace = -1;
  let stop = options?.parameters === false ? COMMA_FLAG : 0;
  while (index < len) {
    const code = header2.charCodeAt(index);
    const flags = CHAR_MAP[code];
    if ((flags & stopFlags) !== 0) {
      stop |= flags & COMMA_FLAG;
      break;
    }
    if ((flags & OWS) !== 0) {
      if (whitespace === -1)
        whitespace = index;
    } else {
      whitespace = -1;
    }
    typeFlags |= code & NON_ASCII | flags;
    index++;
  }
  const valueEnd = whitespace === -1 ? index : whitespace;
  const value = header2.slice(valueStart, valueEnd);
  const type = (typeFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
  if (index === len || stop !== 0) {
    return { type, index, parameters: new NullObject() };
  }
  return parseParameters(header2, type, index, len, stopFlags);
}
function parseParameters(header2, type, index, len, stopFlags) {
  const parameters = new NullObject();
  parameter: while (index < len) {
    index++;
    while ((CHAR_MAP[header2.charCodeAt(index)] & OWS) !== 0) {
      index++;
    }
    const keyStart = index;
    let keyFlags = 0;
    let keyWhitespace = -1;
    while (index < len) {
      const code = header2.charCodeAt(index);
      const flags = CHAR_MAP[code];
      if ((flags & stopFlags) !== 0) {
        if ((flags & COMMA_FLAG) !== 0)
          break parameter;
        continue parameter;
      }
      if (code === EQ) {
        const keyEnd = keyWhitespace === -1 ? index : keyWhitespace;
        const value = header2.slice(keyStart, keyEnd);
        const key = (keyFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
        index++;
        while ((CHAR_MAP[header2.charCodeAt(index)] & OWS) !== 0) {
          index++;
        }
        if (index < len && header2.charCodeAt(index) === DQUOTE) {
          const quotedStart = ++index;
          let escaped = false;
          while (index < len) {
            const code2 = header2.charCodeAt(index);
            if (code2 === DQUOTE) {
              if (parameters[key] === void 0) {
                parameters[key] = escaped ? unescapeQuotedPairs(header2, quotedStart, index) : header2.slice(quotedStart, index);
              }
              index++;
              let stop2 = 0;
              while (index < len) {
                const code3 = header2.charCodeAt(index);
                const flags2 = CHAR_MAP[code3];
                if ((flags2 & stopFlags) !== 0) {
                  stop2 = flags2 & COMMA_FLAG;
                  break;
                }
                index++;
              }
              if (stop2 !== 0)
                break parameter;
              continue parameter;
            }
            if (code2 === BSLASH && index + 1 < len) {
              escaped = true;
              index += 2;
              continue;
            }
            index++;
          }
          continue parameter;
        }
        const valueStart = index;
        let stop = 0;
        let valueWhitespace = -1;
        while (index < len) {
          const code2 = header2.charCodeAt(index);
          const flags2 = CHAR_MAP[code2];
          if ((flags2 & stopFlags) !== 0) {
            stop = flags2 & COMMA_FLAG;
            break;
          }
          if ((flags2 & OWS) !== 0) {
            if (valueWhitespace === -1)
              valueWhitespace = index;
          } else {
            valueWhitespace = -1;
          }
          index++;
        }
        if (parameters[key] === void 0) {
          const valueEnd = valueWhitespace === -1 ? index : valueWhitespace;
          parameters[key] = header2.slice(valueStart, valueEnd);
        }
        if (stop !== 0)
          break parameter;
        continue parameter;
      }
      if ((flags & OWS) !== 0) {
        if (keyWhitespace === -1)
          keyWhitespace = index;
      } else {
        keyWhitespace = -1;
      }
      keyFlags |= code & NON_ASCII | flags;
      index++;
    }
  }
  return { type, index, parameters };
}
function unescapeQuotedPairs(str, start, end) {
  let result = "";
  for (let index = start; index < end; index++) {
    if (str.charCodeAt(index) === BSLASH) {
      result += str.slice(start, index);
      start = ++index;
    }
  }
  return result + str.slice(start, end);
}
var SP, HTAB, SEMI, EQ, DQUOTE, BSLASH, COMMA, LOWER_CASE, OWS, SEMI_FLAG, COMMA_FLAG, TOKEN_FLAG, NON_ASCII, CASE_FLAGS, CHAR_MAP, NullObject;
var init_dist = __esm({
  "node_modules/content-type/dist/index.js"() {
    SP = 32;
    HTAB = 9;
    SEMI = 59;
    EQ = 61;
    DQUOTE = 34;
    BSLASH = 92;
    COMMA = 44;
    LOWER_CASE = 1;
    OWS = 2;
    SEMI_FLAG = 4;
    COMMA_FLAG = 8;
    TOKEN_FLAG = 16;
    NON_ASCII = 65280;
    CASE_FLAGS = LOWER_CASE | NON_ASCII;
    CHAR_MAP = new Uint8Array(256);
    CHAR_MAP[HTAB] |= OWS;
    CHAR_MAP[SP] |= OWS;
    CHAR_MAP[SEMI] |= SEMI_FLAG;
    CHAR_MAP[COMMA] |= COMMA_FLAG;
    for (let code = 128; code <= 255; code++) {
      CHAR_MAP[code] |= LOWER_CASE;
    }
    for (const char of "!#$%&'*+-.^_`|~") {
      CHAR_MAP[char.charCodeAt(0)] |= TOKEN_FLAG;
    }
    for (let code = 48; code <= 57; code++) {
      CHAR_MAP[code] |= TOKEN_FLAG;
    }
    for (let code = 65; code <= 90; code++) {
      CHAR_MAP[code] |= LOWER_CASE | TOKEN_FLAG;
    }
    for (let code = 97; code <= 122; code++) {
      CHAR_MAP[code] |= TOKEN_FLAG;
    }
    NullObject = /* @__PURE__ */ (() => {
      const C = function() {
      };
      C.prototype = /* @__PURE__ */ Object.create(null);
      return C;
    })();
  }
});

// node_modules/json-with-bigint/json-with-bigint.js
var intRegex, noiseValue, originalStringify, originalParse, customFormat, bigIntsStringify, noiseStringify, isUnstringifiable, isRawJSON, stringifyIteratively, JSONStringify, featureCache, isContextSourceSupported, convertMarkedBigIntsReviver, JSONParseV2, MAX_INT, MAX_DIGITS, stringsOrLargeNumbers, noiseValueWithQuotes, applyReviverIteratively, serializeBigInts, JSONParse;
var init_json_with_bigint = __esm({
  "node_modules/json-with-bigint/json-with-bigint.js"() {
    intRegex = /^-?\d+$/;
    noiseValue = /^-?\d+n+$/;
    originalStringify = JSON.stringify;
    originalParse = JSON.parse;
    customFormat = /^-?\d+n$/;
    bigIntsStringify = /([\[:])?"(-?\d+)n"($|\s*[,\}\]])/g;
    noiseStringify = /([\[:])?("-?\d+n+)n("$|"\s*[,\}\]])/g;
    isUnstringifiable = (val) => val === void 0 || typeof val === "function" || typeof val === "symbol";
    isRawJSON = (val) => val !== null && typeof val === "object" && val.constructor && val.constructor.name === "RawJSON";
    stringifyIteratively = (rootValue, replacer, spaceParam) => {
      let space = "";
      if (typeof spaceParam === "number") {
        space = " ".repeat(Math.min(10, Math.max(0, Math.floor(spaceParam))));
      } else if (typeof spaceParam === "string") {
        space = spaceParam.slice(0, 10);
      }
      const isFunctionReplacer = typeof replacer === "function";
      const propertyList = Array.isArray(replacer) ? new Set(replacer.map(String)) : null;
      const prepareVal = (parent, key, val) => {
        const isObject = val !== null && typeof val === "object";
        const hasToJSON = isObject && typeof val.toJSON === "function";
        if (hasToJSON) {
          val = val.toJSON(key);
        }
        const isNoise = typeof val === "string" && noiseValue.test(val);
        if (isNoise) return val + "n";
        const isBigInt = typeof val === "bigint";
        if (isBigInt) {
          const supportsRawJSON = "rawJSON" in JSON;
          if (supportsRawJSON) return JSON.rawJSON(val.toString());
          return val.toString() + "n";
        }
        if (isFunctionReplacer) {
          val = replacer.call(parent, key, val);
        }
        const isPostReplacerObject = val !== null && typeof val === "object";
        if (isPostReplacerObject) {
          const isPrimitiveWrapper = val instanceof Number || val instanceof String || val instanceof Boolean;
          if (isPrimitiveWrapper) {
            val = val.valueOf();
          }
        }
        return val;
      };
      const rootProcessed = prepareVal({ "": rootValue }, "", rootValue);
      if (isUnstringifiable(rootProcessed)) {
        return void 0;
      }
      const isRootPrimitive = rootProcessed === null || typeof rootProcessed !== "object";
      const isRootNativeRawJSON = isRawJSON(rootProcessed);
      if (isRootPrimitive || isRootNativeRawJSON) {
        return originalStringify(rootProcessed);
      }
      const chunks = [];
      let level = 0;
      const stack = [
        {
          parent: { "": rootProcessed },
          key: "",
          val: rootProcessed,
          isArray: Array.isArray(rootProcessed),
          keys: Array.isArray(rootProcessed) ? null : Object.keys(rootProcessed),
          index: 0,
          first: true
        }
      ];
      const visited = new WeakSet([rootProcessed]);
      while (stack.length > 0) {
        const node = stack[stack.length - 1];
        if (node.index === 0) {
          chunks.push(node.isArray ? "[" : "{");
          level++;
        }
        let isDone = false;
        if (node.isArray) {
          if (node.index < node.val.length) {
            if (!node.first) chunks.push(",");
            if (space) chunks.push("\n" + space.repeat(level));
            const childRaw = node.val[node.index];
            const childVal = prepareVal(node.val, String(node.index), childRaw);
            if (isUnstringifiable(childVal)) {
              chunks.push("null");
              node.first = false;
              node.index++;
            } else {
              const isComplexObject = childVal !== null && typeof childVal === "object";
              const isNativeRaw = isRawJSON(childVal);
              if (isComplexObject && !isNativeRaw) {
                if (visited.has(childVal)) {
                  throw new TypeError("Converting circular structure to JSON");
                }
                visited.add(childVal);
                stack.push({
                  parent: node.val,
                  key: String(node.index),
                  val: childVal,
                  isArray: Array.isArray(childVal),
                  keys: Array.isArray(childVal) ? null : Object.keys(childVal),
                  index: 0,
                  first: true
                });
                node.first = false;
                node.index++;
              } else {
                chunks.push(originalStringify(childVal));
                node.first = false;
                node.index++;
              }
            }
          } else {
            isDone = true;
          }
        } else {
          while (node.index < node.keys.length) {
            const k = node.keys[node.index++];
            const isFilteredOutByArray = propertyList && !propertyList.has(k);
            if (isFilteredOutByArray) continue;
            const childRaw = node.val[k];
            const childVal = prepareVal(node.val, k, childRaw);
            if (isUnstringifiable(childVal)) continue;
            if (!node.first) chunks.push(",");
            if (space) {
              chunks.push("\n" + space.repeat(level) + originalStringify(k) + ": ");
            } else {
              chunks.push(originalStringify(k) + ":");
            }
            const isComplexObject = childVal !== null && typeof childVal === "object";
            const isNativeRaw = isRawJSON(childVal);
            if (isComplexObject && !isNativeRaw) {
              if (visited.has(childVal)) {
                throw new TypeError("Converting circular structure to JSON");
              }
              visited.add(childVal);
              stack.push({
                parent: node.val,
                key: k,
                val: childVal,
                isArray: Array.isArray(childVal),
                keys: Array.isArray(childVal) ? null : Object.keys(childVal),
                index: 0,
                first: true
              });
              node.first = false;
              break;
            } else {
              chunks.push(originalStringify(childVal));
              node.first = false;
            }
          }
          const isNodeFullyProcessed = node.index >= node.keys.length && stack[stack.length - 1] === node;
          if (isNodeFullyProcessed) {
            isDone = true;
          }
        }
        if (isDone) {
          level--;
          if (!node.first && space) chunks.push("\n" + space.repeat(level));
          chunks.push(node.isArray ? "]" : "}");
          visited.delete(node.val);
          stack.pop();
        }
      }
      return chunks.join("");
    };
    JSONStringify = (value, replacer, space) => {
      try {
        const supportsRawJSON = "rawJSON" in JSON;
        if (supportsRawJSON) {
          return originalStringify(
            value,
            (key, val) => {
              if (typeof val === "bigint") return JSON.rawJSON(val.toString());
              const hasFunctionReplacer = typeof replacer === "function";
              if (hasFunctionReplacer) return replacer(key, val);
              const isKeyInArrayReplacer = Array.isArray(replacer) && replacer.includes(key);
              if (isKeyInArrayReplacer) return val;
              return val;
            },
            space
          );
        }
        if (!value) return originalStringify(value, replacer, space);
        const convertedToCustomJSON = originalStringify(
          value,
          (key, val) => {
            const isNoise = typeof val === "string" && noiseValue.test(val);
            if (isNoise) return val.toString() + "n";
            if (typeof val === "bigint") return val.toString() + "n";
            const hasFunctionReplacer = typeof replacer === "function";
            if (hasFunctionReplacer) return replacer(key, val);
            const isKeyInArrayReplacer = Array.isArray(replacer) && replacer.includes(key);
            if (isKeyInArrayReplacer) return val;
            return val;
          },
          space
        );
        const processedJSON = convertedToCustomJSON.replace(
          bigIntsStringify,
          "$1$2$3"
        );
        const denoisedJSON = processedJSON.replace(noiseStringify, "$1$2$3");
        return denoisedJSON;
      } catch (error2) {
        if (error2 instanceof RangeError) {
          const convertedJSON = stringifyIteratively(value, replacer, space);
          if (convertedJSON === void 0) return void 0;
          const supportsRawJSON = "rawJSON" in JSON;
          if (supportsRawJSON) return convertedJSON;
          const processedJSON = convertedJSON.replace(bigIntsStringify, "$1$2$3");
          return processedJSON.replace(noiseStringify, "$1$2$3");
        }
        throw error2;
      }
    };
    featureCache = /* @__PURE__ */ new Map();
    isContextSourceSupported = () => {
      const parseFingerprint = JSON.parse.toString();
      if (featureCache.has(parseFingerprint)) {
        return featureCache.get(parseFingerprint);
      }
      try {
        const result = JSON.parse(
          "1",
          (_, __, context3) => !!context3?.source && context3.source === "1"
        );
        featureCache.set(parseFingerprint, result);
        return result;
      } catch {
        featureCache.set(parseFingerprint, false);
        return false;
      }
    };
    convertMarkedBigIntsReviver = (key, value, context3, userReviver) => {
      const isCustomFormatBigInt = typeof value === "string" && customFormat.test(value);
      if (isCustomFormatBigInt) return BigInt(value.slice(0, -1));
      const isNoiseValue = typeof value === "string" && noiseValue.test(value);
      if (isNoiseValue) return value.slice(0, -1);
      const hasUserReviver = typeof userReviver === "function";
      if (!hasUserReviver) return value;
      return userReviver(key, value, context3);
    };
    JSONParseV2 = (text, reviver) => {
      return JSON.parse(text, (key, value, context3) => {
        const isNumber = typeof value === "number";
        const isOutOfBounds = value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER;
        const isBigNumber = isNumber && isOutOfBounds;
        const isInt = context3 && intRegex.test(context3.source);
        const isBigInt = isBigNumber && isInt;
        if (isBigInt) return BigInt(context3.source);
        const hasCustomReviver = typeof reviver === "function";
        if (!hasCustomReviver) return value;
        return reviver(key, value, context3);
      });
    };
    MAX_INT = Number.MAX_SAFE_INTEGER.toString();
    MAX_DIGITS = MAX_INT.length;
    stringsOrLargeNumbers = /"(?:[^"\\]|\\.)*"|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/g;
    noiseValueWithQuotes = /^"-?\d+n+"$/;
    applyReviverIteratively = (parsed, userReviver) => {
      const rootHolder = { "": parsed };
      const stack = [{ parent: rootHolder, key: "", visited: false }];
      while (stack.length > 0) {
        const node = stack[stack.length - 1];
        if (!node.visited) {
          node.visited = true;
          const value = node.parent[node.key];
          const isComplexObject = value !== null && typeof value === "object";
          if (isComplexObject) {
            const keys = Object.keys(value);
            for (let i = keys.length - 1; i >= 0; i--) {
              stack.push({ parent: value, key: keys[i], visited: false });
            }
          }
        } else {
          const { parent, key } = node;
          let value = parent[key];
          if (typeof value === "string") {
            const isCustomFormatBigInt = customFormat.test(value);
            if (isCustomFormatBigInt) {
              value = BigInt(value.slice(0, -1));
            } else {
              const isNoise = noiseValue.test(value);
              if (isNoise) value = value.slice(0, -1);
            }
          }
          const hasUserReviver = typeof userReviver === "function";
          if (hasUserReviver) {
            value = userReviver.call(parent, key, value);
          }
          const isDeleted = value === void 0;
          if (isDeleted) {
            delete parent[key];
          } else {
            parent[key] = value;
          }
          stack.pop();
        }
      }
      return rootHolder[""];
    };
    serializeBigInts = (text) => {
      return text.replace(
        stringsOrLargeNumbers,
        (match, digits, fractional, exponential) => {
          const isString = match[0] === '"';
          const isNoise = isString && noiseValueWithQuotes.test(match);
          if (isNoise) return match.substring(0, match.length - 1) + 'n"';
          const hasFractionalOrExponential = fractional || exponential;
          const isLessThanMaxSafeInt = digits && (digits.length < MAX_DIGITS || digits.length === MAX_DIGITS && digits <= MAX_INT);
          const isStandardValue = isString || hasFractionalOrExponential || isLessThanMaxSafeInt;
          if (isStandardValue) return match;
          return '"' + match + 'n"';
        }
      );
    };
    JSONParse = (text, reviver) => {
      if (!text) return originalParse(text, reviver);
      try {
        if (isContextSourceSupported()) return JSONParseV2(text, reviver);
        const serializedData = serializeBigInts(text);
        return originalParse(
          serializedData,
          (key, value, context3) => convertMarkedBigIntsReviver(key, value, context3, reviver)
        );
      } catch (error2) {
        if (error2 instanceof RangeError) {
          const serializedData = serializeBigInts(text);
          const parsed = originalParse(serializedData);
          return applyReviverIteratively(parsed, reviver);
        }
        throw error2;
      }
    };
  }
});

// node_modules/@octokit/request-error/dist-src/index.js
var RequestError;
var init_dist_src = __esm({
  "node_modules/@octokit/request-error/dist-src/index.js"() {
    RequestError = class extends Error {
      name;
      /**
       * http status code
       */
      status;
      /**
       * Request options that lead to the error.
       */
      request;
      /**
       * Response object if a response was received
       */
      response;
      constructor(message, statusCode, options) {
        super(message, { cause: options.cause });
        this.name = "HttpError";
        this.status = Number.parseInt(statusCode);
        if (Number.isNaN(this.status)) {
          this.status = 0;
        }
        if ("response" in options) {
          this.response = options.response;
        }
        const requestCopy = Object.assign({}, options.request);
        if (options.request.headers.authorization) {
          requestCopy.headers = Object.assign({}, options.request.headers, {
            authorization: options.request.headers.authorization.replace(
              /(?<! ) .*$/,
              " [REDACTED]"
            )
          });
        }
        requestCopy.url = requestCopy.url.replace(/\bclient_secret=\w+/g, "client_secret=[REDACTED]").replace(/\baccess_token=\w+/g, "access_token=[REDACTED]");
        this.request = requestCopy;
      }
    };
  }
});

// node_modules/@octokit/request/dist-bundle/index.js
function isPlainObject2(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}
async function fetchWrapper(requestOptions) {
  const fetch2 = requestOptions.request?.fetch || globalThis.fetch;
  if (!fetch2) {
    throw new Error(
      "fetch is not set. Please pass a fetch implementation as new Octokit({ request: { fetch }}). Learn more at https://github.com/octokit/octokit.js/#fetch-missing"
    );
  }
  const log = requestOptions.request?.log || console;
  const parseSuccessResponseBody = requestOptions.request?.parseSuccessResponseBody !== false;
  const body = isPlainObject2(requestOptions.body) || Array.isArray(requestOptions.body) ? JSONStringify(requestOptions.body) : requestOptions.body;
  const requestHeaders = Object.fromEntries(
    Object.entries(requestOptions.headers).map(([name, value]) => [
      name,
      String(value)
    ])
  );
  let fetchResponse;
  try {
    fetchResponse = await fetch2(requestOptions.url, {
      method: requestOptions.method,
      body,
      redirect: requestOptions.request?.redirect,
      headers: requestHeaders,
      signal: requestOptions.request?.signal,
      // duplex must be set if request.body is ReadableStream or Async Iterables.
      // See https://fetch.spec.whatwg.org/#dom-requestinit-duplex.
      ...requestOptions.body && { duplex: "half" }
    });
  } catch (error2) {
    let message = "Unknown Error";
    if (error2 instanceof Error) {
      if (error2.name === "AbortError") {
        error2.status = 500;
        throw error2;
      }
      message = error2.message;
      if (error2.name === "TypeError" && "cause" in error2) {
        if (error2.cause instanceof Error) {
          message = error2.cause.message;
        } else if (typeof error2.cause === "string") {
          message = error2.cause;
        }
      }
    }
    const requestError = new RequestError(message, 500, {
      request: requestOptions
    });
    requestError.cause = error2;
    throw requestError;
  }
  const status = fetchResponse.status;
  const url = fetchResponse.url;
  const responseHeaders = {};
  for (const [key, value] of fetchResponse.headers) {
    responseHeaders[key] = value;
  }
  const octokitResponse = {
    url,
    status,
    headers: responseHeaders,
    data: ""
  };
  if ("deprecation" in responseHeaders) {
    const matches = responseHeaders.link && responseHeaders.link.match(/<([^<>]+)>; rel="deprecation"/);
    const deprecationLink = matches && matches.pop();
    log.warn(
      `[@octokit/request] "${requestOptions.method} ${requestOptions.url}" is deprecated. It is scheduled to be removed on ${responseHeaders.sunset}${deprecationLink ? `. See ${deprecationLink}` : ""}`
    );
  }
  if (status === 204 || status === 205) {
    return octokitResponse;
  }
  if (requestOptions.method === "HEAD") {
    if (status < 400) {
      return octokitResponse;
    }
    throw new RequestError(fetchResponse.statusText, status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status === 304) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError("Not modified", status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status >= 400) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError(toErrorMessage(octokitResponse.data), status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  octokitResponse.data = parseSuccessResponseBody ? await getResponseData(fetchResponse) : fetchResponse.body;
  return octokitResponse;
}
async function getResponseData(response) {
  const contentType = response.headers.get("content-type");
  if (!contentType) {
    return response.text().catch(noop);
  }
  const mimetype = parse2(contentType);
  if (isJSONResponse(mimetype)) {
    let text = "";
    try {
      text = await response.text();
      return JSONParse(text);
    } catch (err) {
      return text;
    }
  } else if (mimetype.type.startsWith("text/") || // `application/octet-stream` is the canonical "arbitrary binary" type
  // (RFC 2046) and must never be decoded as text, even when the response
  // carries a (misleading) `charset=utf-8` parameter — see #751.
  mimetype.parameters.charset?.toLowerCase() === "utf-8" && mimetype.type !== "application/octet-stream") {
    return response.text().catch(noop);
  } else {
    return response.arrayBuffer().catch(
      /* v8 ignore next -- @preserve */
      () => new ArrayBuffer(0)
    );
  }
}
function isJSONResponse(mimetype) {
  return mimetype.type === "application/json" || mimetype.type === "application/scim+json";
}
function toErrorMessage(data) {
  if (typeof data === "string") {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return "Unknown error";
  }
  if (typeof data === "object" && data !== null && "message" in data) {
    const objectData = data;
    const suffix = "documentation_url" in objectData ? ` - ${objectData.documentation_url}` : "";
    return Array.isArray(objectData.errors) ? `${objectData.message}: ${objectData.errors.map((v) => JSON.stringify(v)).join(", ")}${suffix}` : `${objectData.message}${suffix}`;
  }
  return `Unknown error: ${JSON.stringify(data)}`;
}
function withDefaults2(oldEndpoint, newDefaults) {
  const endpoint2 = oldEndpoint.defaults(newDefaults);
  const newApi = function(route, parameters) {
    const endpointOptions = endpoint2.merge(route, parameters);
    if (!endpointOptions.request || !endpointOptions.request.hook) {
      return fetchWrapper(endpoint2.parse(endpointOptions));
    }
    const request2 = (route2, parameters2) => {
      return fetchWrapper(
        endpoint2.parse(endpoint2.merge(route2, parameters2))
      );
    };
    Object.assign(request2, {
      endpoint: endpoint2,
      defaults: withDefaults2.bind(null, endpoint2)
    });
    return endpointOptions.request.hook(request2, endpointOptions);
  };
  return Object.assign(newApi, {
    endpoint: endpoint2,
    defaults: withDefaults2.bind(null, endpoint2)
  });
}
var VERSION2, defaults_default, noop, request;
var init_dist_bundle2 = __esm({
  "node_modules/@octokit/request/dist-bundle/index.js"() {
    init_dist_bundle();
    init_universal_user_agent();
    init_dist();
    init_json_with_bigint();
    init_dist_src();
    VERSION2 = "10.0.16";
    defaults_default = {
      headers: {
        "user-agent": `octokit-request.js/${VERSION2} ${getUserAgent()}`
      }
    };
    noop = () => "";
    request = withDefaults2(endpoint, defaults_default);
  }
});

// node_modules/@octokit/graphql/dist-bundle/index.js
function _buildMessageForResponseErrors(data) {
  return `Request failed due to following response errors:
` + data.errors.map((e) => ` - ${e.message}`).join("\n");
}
function graphql(request2, query, options) {
  if (options) {
    if (typeof query === "string" && "query" in options) {
      return Promise.reject(
        new Error(`[@octokit/graphql] "query" cannot be used as variable name`)
      );
    }
    for (const key in options) {
      if (!FORBIDDEN_VARIABLE_OPTIONS.includes(key)) continue;
      return Promise.reject(
        new Error(
          `[@octokit/graphql] "${key}" cannot be used as variable name`
        )
      );
    }
  }
  const parsedOptions = typeof query === "string" ? Object.assign({ query }, options) : query;
  const requestOptions = Object.keys(
    parsedOptions
  ).reduce((result, key) => {
    if (NON_VARIABLE_OPTIONS.includes(key)) {
      result[key] = parsedOptions[key];
      return result;
    }
    if (!result.variables) {
      result.variables = {};
    }
    result.variables[key] = parsedOptions[key];
    return result;
  }, {});
  const baseUrl2 = parsedOptions.baseUrl || request2.endpoint.DEFAULTS.baseUrl;
  if (GHES_V3_SUFFIX_REGEX.test(baseUrl2)) {
    requestOptions.url = baseUrl2.replace(GHES_V3_SUFFIX_REGEX, "/api/graphql");
  }
  return request2(requestOptions).then((response) => {
    if (response.data.errors) {
      const headers = {};
      for (const key of Object.keys(response.headers)) {
        headers[key] = response.headers[key];
      }
      throw new GraphqlResponseError(
        requestOptions,
        headers,
        response.data
      );
    }
    return response.data.data;
  });
}
function withDefaults3(request2, newDefaults) {
  const newRequest = request2.defaults(newDefaults);
  const newApi = (query, options) => {
    return graphql(newRequest, query, options);
  };
  return Object.assign(newApi, {
    defaults: withDefaults3.bind(null, newRequest),
    endpoint: newRequest.endpoint
  });
}
function withCustomRequest(customRequest) {
  return withDefaults3(customRequest, {
    method: "POST",
    url: "/graphql"
  });
}
var VERSION3, GraphqlResponseError, NON_VARIABLE_OPTIONS, FORBIDDEN_VARIABLE_OPTIONS, GHES_V3_SUFFIX_REGEX, graphql2;
var init_dist_bundle3 = __esm({
  "node_modules/@octokit/graphql/dist-bundle/index.js"() {
    init_dist_bundle2();
    init_universal_user_agent();
    VERSION3 = "0.0.0-development";
    GraphqlResponseError = class extends Error {
      constructor(request2, headers, response) {
        super(_buildMessageForResponseErrors(response));
        this.request = request2;
        this.headers = headers;
        this.response = response;
        this.errors = response.errors;
        this.data = response.data;
        if (Error.captureStackTrace) {
          Error.captureStackTrace(this, this.constructor);
        }
      }
      request;
      headers;
      response;
      name = "GraphqlResponseError";
      errors;
      data;
    };
    NON_VARIABLE_OPTIONS = [
      "method",
      "baseUrl",
      "url",
      "headers",
      "request",
      "query",
      "mediaType",
      "operationName"
    ];
    FORBIDDEN_VARIABLE_OPTIONS = ["query", "method", "url"];
    GHES_V3_SUFFIX_REGEX = /\/api\/v3\/?$/;
    graphql2 = withDefaults3(request, {
      headers: {
        "user-agent": `octokit-graphql.js/${VERSION3} ${getUserAgent()}`
      },
      method: "POST",
      url: "/graphql"
    });
  }
});

// node_modules/@octokit/auth-token/dist-bundle/index.js
async function auth(token) {
  const isApp = isJWT(token);
  const isInstallation = token.startsWith("v1.") || token.startsWith("ghs_");
  const isUserToServer = token.startsWith("ghu_");
  const tokenType = isApp ? "app" : isInstallation ? "installation" : isUserToServer ? "user-to-server" : "oauth";
  return {
    type: "token",
    token,
    tokenType
  };
}
function withAuthorizationPrefix(token) {
  if (token.split(/\./).length === 3) {
    return `bearer ${token}`;
  }
  return `token ${token}`;
}
async function hook(token, request2, route, parameters) {
  const endpoint2 = request2.endpoint.merge(
    route,
    parameters
  );
  endpoint2.headers.authorization = withAuthorizationPrefix(token);
  return request2(endpoint2);
}
var b64url, sep3, jwtRE, isJWT, createTokenAuth;
var init_dist_bundle4 = __esm({
  "node_modules/@octokit/auth-token/dist-bundle/index.js"() {
    b64url = "(?:[a-zA-Z0-9_-]+)";
    sep3 = "\\.";
    jwtRE = new RegExp(`^${b64url}${sep3}${b64url}${sep3}${b64url}$`);
    isJWT = jwtRE.test.bind(jwtRE);
    createTokenAuth = function createTokenAuth2(token) {
      if (!token) {
        throw new Error("[@octokit/auth-token] No token passed to createTokenAuth");
      }
      if (typeof token !== "string") {
        throw new Error(
          "[@octokit/auth-token] Token passed to createTokenAuth is not a string"
        );
      }
      token = token.replace(/^(token|bearer) +/i, "");
      return Object.assign(auth.bind(null, token), {
        hook: hook.bind(null, token)
      });
    };
  }
});

// node_modules/@octokit/core/dist-src/version.js
var VERSION4;
var init_version = __esm({
  "node_modules/@octokit/core/dist-src/version.js"() {
    VERSION4 = "7.0.8";
  }
});

// node_modules/@octokit/core/dist-src/index.js
function createLogger(logger = {}) {
  if (typeof logger.debug !== "function") {
    logger.debug = noop2;
  }
  if (typeof logger.info !== "function") {
    logger.info = noop2;
  }
  if (typeof logger.warn !== "function") {
    logger.warn = consoleWarn;
  }
  if (typeof logger.error !== "function") {
    logger.error = consoleError;
  }
  return logger;
}
var noop2, consoleWarn, consoleError, userAgentTrail, Octokit;
var init_dist_src2 = __esm({
  "node_modules/@octokit/core/dist-src/index.js"() {
    init_universal_user_agent();
    init_before_after_hook();
    init_dist_bundle2();
    init_dist_bundle3();
    init_dist_bundle4();
    init_version();
    noop2 = () => {
    };
    consoleWarn = console.warn.bind(console);
    consoleError = console.error.bind(console);
    userAgentTrail = `octokit-core.js/${VERSION4} ${getUserAgent()}`;
    Octokit = class {
      static VERSION = VERSION4;
      static defaults(defaults3) {
        const OctokitWithDefaults = class extends this {
          constructor(...args) {
            const options = args[0] || {};
            if (typeof defaults3 === "function") {
              super(defaults3(options));
              return;
            }
            super(
              Object.assign(
                {},
                defaults3,
                options,
                options.userAgent && defaults3.userAgent ? {
                  userAgent: `${options.userAgent} ${defaults3.userAgent}`
                } : null
              )
            );
          }
        };
        return OctokitWithDefaults;
      }
      static plugins = [];
      /**
       * Attach a plugin (or many) to your Octokit instance.
       *
       * @example
       * const API = Octokit.plugin(plugin1, plugin2, plugin3, ...)
       */
      static plugin(...newPlugins) {
        const currentPlugins = this.plugins;
        const NewOctokit = class extends this {
          static plugins = currentPlugins.concat(
            newPlugins.filter((plugin) => !currentPlugins.includes(plugin))
          );
        };
        return NewOctokit;
      }
      constructor(options = {}) {
        const hook2 = new before_after_hook_default.Collection();
        const requestDefaults = {
          baseUrl: request.endpoint.DEFAULTS.baseUrl,
          headers: {},
          request: Object.assign({}, options.request, {
            // @ts-ignore internal usage only, no need to type
            hook: hook2.bind(null, "request")
          }),
          mediaType: {
            previews: [],
            format: ""
          }
        };
        requestDefaults.headers["user-agent"] = options.userAgent ? `${options.userAgent} ${userAgentTrail}` : userAgentTrail;
        if (options.baseUrl) {
          requestDefaults.baseUrl = options.baseUrl;
        }
        if (options.previews) {
          requestDefaults.mediaType.previews = options.previews;
        }
        if (options.timeZone) {
          requestDefaults.headers["time-zone"] = options.timeZone;
        }
        this.request = request.defaults(requestDefaults);
        this.graphql = withCustomRequest(this.request).defaults(requestDefaults);
        this.log = createLogger(options.log);
        this.hook = hook2;
        if (!options.authStrategy) {
          if (!options.auth) {
            this.auth = async () => ({
              type: "unauthenticated"
            });
          } else {
            const auth2 = createTokenAuth(options.auth);
            hook2.wrap("request", auth2.hook);
            this.auth = auth2;
          }
        } else {
          const { authStrategy, ...otherOptions } = options;
          const auth2 = authStrategy(
            Object.assign(
              {
                request: this.request,
                log: this.log,
                // we pass the current octokit instance as well as its constructor options
                // to allow for authentication strategies that return a new octokit instance
                // that shares the same internal state as the current one. The original
                // requirement for this was the "event-octokit" authentication strategy
                // of https://github.com/probot/octokit-auth-probot.
                octokit: this,
                octokitOptions: otherOptions
              },
              options.auth
            )
          );
          hook2.wrap("request", auth2.hook);
          this.auth = auth2;
        }
        const classConstructor = this.constructor;
        for (let i = 0; i < classConstructor.plugins.length; ++i) {
          Object.assign(this, classConstructor.plugins[i](this, options));
        }
      }
      // assigned during constructor
      request;
      graphql;
      log;
      hook;
      // TODO: type `octokit.auth` based on passed options.authStrategy
      auth;
    };
  }
});

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/version.js
var VERSION5;
var init_version2 = __esm({
  "node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/version.js"() {
    VERSION5 = "17.0.0";
  }
});

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js
var Endpoints, endpoints_default;
var init_endpoints = __esm({
  "node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js"() {
    Endpoints = {
      actions: {
        addCustomLabelsToSelfHostedRunnerForOrg: [
          "POST /orgs/{org}/actions/runners/{runner_id}/labels"
        ],
        addCustomLabelsToSelfHostedRunnerForRepo: [
          "POST /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
        ],
        addRepoAccessToSelfHostedRunnerGroupInOrg: [
          "PUT /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories/{repository_id}"
        ],
        addSelectedRepoToOrgSecret: [
          "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
        ],
        addSelectedRepoToOrgVariable: [
          "PUT /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
        ],
        approveWorkflowRun: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/approve"
        ],
        cancelWorkflowRun: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel"
        ],
        createEnvironmentVariable: [
          "POST /repos/{owner}/{repo}/environments/{environment_name}/variables"
        ],
        createHostedRunnerForOrg: ["POST /orgs/{org}/actions/hosted-runners"],
        createOrUpdateEnvironmentSecret: [
          "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
        ],
        createOrUpdateOrgSecret: ["PUT /orgs/{org}/actions/secrets/{secret_name}"],
        createOrUpdateRepoSecret: [
          "PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}"
        ],
        createOrgVariable: ["POST /orgs/{org}/actions/variables"],
        createRegistrationTokenForOrg: [
          "POST /orgs/{org}/actions/runners/registration-token"
        ],
        createRegistrationTokenForRepo: [
          "POST /repos/{owner}/{repo}/actions/runners/registration-token"
        ],
        createRemoveTokenForOrg: ["POST /orgs/{org}/actions/runners/remove-token"],
        createRemoveTokenForRepo: [
          "POST /repos/{owner}/{repo}/actions/runners/remove-token"
        ],
        createRepoVariable: ["POST /repos/{owner}/{repo}/actions/variables"],
        createWorkflowDispatch: [
          "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"
        ],
        deleteActionsCacheById: [
          "DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}"
        ],
        deleteActionsCacheByKey: [
          "DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}"
        ],
        deleteArtifact: [
          "DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"
        ],
        deleteCustomImageFromOrg: [
          "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
        ],
        deleteCustomImageVersionFromOrg: [
          "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
        ],
        deleteEnvironmentSecret: [
          "DELETE /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
        ],
        deleteEnvironmentVariable: [
          "DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
        ],
        deleteHostedRunnerForOrg: [
          "DELETE /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
        ],
        deleteOrgSecret: ["DELETE /orgs/{org}/actions/secrets/{secret_name}"],
        deleteOrgVariable: ["DELETE /orgs/{org}/actions/variables/{name}"],
        deleteRepoSecret: [
          "DELETE /repos/{owner}/{repo}/actions/secrets/{secret_name}"
        ],
        deleteRepoVariable: [
          "DELETE /repos/{owner}/{repo}/actions/variables/{name}"
        ],
        deleteSelfHostedRunnerFromOrg: [
          "DELETE /orgs/{org}/actions/runners/{runner_id}"
        ],
        deleteSelfHostedRunnerFromRepo: [
          "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}"
        ],
        deleteWorkflowRun: ["DELETE /repos/{owner}/{repo}/actions/runs/{run_id}"],
        deleteWorkflowRunLogs: [
          "DELETE /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
        ],
        disableSelectedRepositoryGithubActionsOrganization: [
          "DELETE /orgs/{org}/actions/permissions/repositories/{repository_id}"
        ],
        disableWorkflow: [
          "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable"
        ],
        downloadArtifact: [
          "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"
        ],
        downloadJobLogsForWorkflowRun: [
          "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"
        ],
        downloadWorkflowRunAttemptLogs: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs"
        ],
        downloadWorkflowRunLogs: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
        ],
        enableSelectedRepositoryGithubActionsOrganization: [
          "PUT /orgs/{org}/actions/permissions/repositories/{repository_id}"
        ],
        enableWorkflow: [
          "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable"
        ],
        forceCancelWorkflowRun: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/force-cancel"
        ],
        generateRunnerJitconfigForOrg: [
          "POST /orgs/{org}/actions/runners/generate-jitconfig"
        ],
        generateRunnerJitconfigForRepo: [
          "POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig"
        ],
        getActionsCacheList: ["GET /repos/{owner}/{repo}/actions/caches"],
        getActionsCacheUsage: ["GET /repos/{owner}/{repo}/actions/cache/usage"],
        getActionsCacheUsageByRepoForOrg: [
          "GET /orgs/{org}/actions/cache/usage-by-repository"
        ],
        getActionsCacheUsageForOrg: ["GET /orgs/{org}/actions/cache/usage"],
        getAllowedActionsOrganization: [
          "GET /orgs/{org}/actions/permissions/selected-actions"
        ],
        getAllowedActionsRepository: [
          "GET /repos/{owner}/{repo}/actions/permissions/selected-actions"
        ],
        getArtifact: ["GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"],
        getCustomImageForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
        ],
        getCustomImageVersionForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
        ],
        getCustomOidcSubClaimForRepo: [
          "GET /repos/{owner}/{repo}/actions/oidc/customization/sub"
        ],
        getEnvironmentPublicKey: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key"
        ],
        getEnvironmentSecret: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
        ],
        getEnvironmentVariable: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
        ],
        getGithubActionsDefaultWorkflowPermissionsOrganization: [
          "GET /orgs/{org}/actions/permissions/workflow"
        ],
        getGithubActionsDefaultWorkflowPermissionsRepository: [
          "GET /repos/{owner}/{repo}/actions/permissions/workflow"
        ],
        getGithubActionsPermissionsOrganization: [
          "GET /orgs/{org}/actions/permissions"
        ],
        getGithubActionsPermissionsRepository: [
          "GET /repos/{owner}/{repo}/actions/permissions"
        ],
        getHostedRunnerForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
        ],
        getHostedRunnersGithubOwnedImagesForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/github-owned"
        ],
        getHostedRunnersLimitsForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/limits"
        ],
        getHostedRunnersMachineSpecsForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/machine-sizes"
        ],
        getHostedRunnersPartnerImagesForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/partner"
        ],
        getHostedRunnersPlatformsForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/platforms"
        ],
        getJobForWorkflowRun: ["GET /repos/{owner}/{repo}/actions/jobs/{job_id}"],
        getOrgPublicKey: ["GET /orgs/{org}/actions/secrets/public-key"],
        getOrgSecret: ["GET /orgs/{org}/actions/secrets/{secret_name}"],
        getOrgVariable: ["GET /orgs/{org}/actions/variables/{name}"],
        getPendingDeploymentsForRun: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
        ],
        getRepoPermissions: [
          "GET /repos/{owner}/{repo}/actions/permissions",
          {},
          { renamed: ["actions", "getGithubActionsPermissionsRepository"] }
        ],
        getRepoPublicKey: ["GET /repos/{owner}/{repo}/actions/secrets/public-key"],
        getRepoSecret: ["GET /repos/{owner}/{repo}/actions/secrets/{secret_name}"],
        getRepoVariable: ["GET /repos/{owner}/{repo}/actions/variables/{name}"],
        getReviewsForRun: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals"
        ],
        getSelfHostedRunnerForOrg: ["GET /orgs/{org}/actions/runners/{runner_id}"],
        getSelfHostedRunnerForRepo: [
          "GET /repos/{owner}/{repo}/actions/runners/{runner_id}"
        ],
        getWorkflow: ["GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}"],
        getWorkflowAccessToRepository: [
          "GET /repos/{owner}/{repo}/actions/permissions/access"
        ],
        getWorkflowRun: ["GET /repos/{owner}/{repo}/actions/runs/{run_id}"],
        getWorkflowRunAttempt: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}"
        ],
        getWorkflowRunUsage: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/timing"
        ],
        getWorkflowUsage: [
          "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/timing"
        ],
        listArtifactsForRepo: ["GET /repos/{owner}/{repo}/actions/artifacts"],
        listCustomImageVersionsForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions"
        ],
        listCustomImagesForOrg: [
          "GET /orgs/{org}/actions/hosted-runners/images/custom"
        ],
        listEnvironmentSecrets: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets"
        ],
        listEnvironmentVariables: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/variables"
        ],
        listGithubHostedRunnersInGroupForOrg: [
          "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/hosted-runners"
        ],
        listHostedRunnersForOrg: ["GET /orgs/{org}/actions/hosted-runners"],
        listJobsForWorkflowRun: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"
        ],
        listJobsForWorkflowRunAttempt: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs"
        ],
        listLabelsForSelfHostedRunnerForOrg: [
          "GET /orgs/{org}/actions/runners/{runner_id}/labels"
        ],
        listLabelsForSelfHostedRunnerForRepo: [
          "GET /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
        ],
        listOrgSecrets: ["GET /orgs/{org}/actions/secrets"],
        listOrgVariables: ["GET /orgs/{org}/actions/variables"],
        listRepoOrganizationSecrets: [
          "GET /repos/{owner}/{repo}/actions/organization-secrets"
        ],
        listRepoOrganizationVariables: [
          "GET /repos/{owner}/{repo}/actions/organization-variables"
        ],
        listRepoSecrets: ["GET /repos/{owner}/{repo}/actions/secrets"],
        listRepoVariables: ["GET /repos/{owner}/{repo}/actions/variables"],
        listRepoWorkflows: ["GET /repos/{owner}/{repo}/actions/workflows"],
        listRunnerApplicationsForOrg: ["GET /orgs/{org}/actions/runners/downloads"],
        listRunnerApplicationsForRepo: [
          "GET /repos/{owner}/{repo}/actions/runners/downloads"
        ],
        listSelectedReposForOrgSecret: [
          "GET /orgs/{org}/actions/secrets/{secret_name}/repositories"
        ],
        listSelectedReposForOrgVariable: [
          "GET /orgs/{org}/actions/variables/{name}/repositories"
        ],
        listSelectedRepositoriesEnabledGithubActionsOrganization: [
          "GET /orgs/{org}/actions/permissions/repositories"
        ],
        listSelfHostedRunnersForOrg: ["GET /orgs/{org}/actions/runners"],
        listSelfHostedRunnersForRepo: ["GET /repos/{owner}/{repo}/actions/runners"],
        listWorkflowRunArtifacts: [
          "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"
        ],
        listWorkflowRuns: [
          "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"
        ],
        listWorkflowRunsForRepo: ["GET /repos/{owner}/{repo}/actions/runs"],
        reRunJobForWorkflowRun: [
          "POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun"
        ],
        reRunWorkflow: ["POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun"],
        reRunWorkflowFailedJobs: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs"
        ],
        removeAllCustomLabelsFromSelfHostedRunnerForOrg: [
          "DELETE /orgs/{org}/actions/runners/{runner_id}/labels"
        ],
        removeAllCustomLabelsFromSelfHostedRunnerForRepo: [
          "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
        ],
        removeCustomLabelFromSelfHostedRunnerForOrg: [
          "DELETE /orgs/{org}/actions/runners/{runner_id}/labels/{name}"
        ],
        removeCustomLabelFromSelfHostedRunnerForRepo: [
          "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels/{name}"
        ],
        removeSelectedRepoFromOrgSecret: [
          "DELETE /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
        ],
        removeSelectedRepoFromOrgVariable: [
          "DELETE /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
        ],
        reviewCustomGatesForRun: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule"
        ],
        reviewPendingDeploymentsForRun: [
          "POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
        ],
        setAllowedActionsOrganization: [
          "PUT /orgs/{org}/actions/permissions/selected-actions"
        ],
        setAllowedActionsRepository: [
          "PUT /repos/{owner}/{repo}/actions/permissions/selected-actions"
        ],
        setCustomLabelsForSelfHostedRunnerForOrg: [
          "PUT /orgs/{org}/actions/runners/{runner_id}/labels"
        ],
        setCustomLabelsForSelfHostedRunnerForRepo: [
          "PUT /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
        ],
        setCustomOidcSubClaimForRepo: [
          "PUT /repos/{owner}/{repo}/actions/oidc/customization/sub"
        ],
        setGithubActionsDefaultWorkflowPermissionsOrganization: [
          "PUT /orgs/{org}/actions/permissions/workflow"
        ],
        setGithubActionsDefaultWorkflowPermissionsRepository: [
          "PUT /repos/{owner}/{repo}/actions/permissions/workflow"
        ],
        setGithubActionsPermissionsOrganization: [
          "PUT /orgs/{org}/actions/permissions"
        ],
        setGithubActionsPermissionsRepository: [
          "PUT /repos/{owner}/{repo}/actions/permissions"
        ],
        setSelectedReposForOrgSecret: [
          "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories"
        ],
        setSelectedReposForOrgVariable: [
          "PUT /orgs/{org}/actions/variables/{name}/repositories"
        ],
        setSelectedRepositoriesEnabledGithubActionsOrganization: [
          "PUT /orgs/{org}/actions/permissions/repositories"
        ],
        setWorkflowAccessToRepository: [
          "PUT /repos/{owner}/{repo}/actions/permissions/access"
        ],
        updateEnvironmentVariable: [
          "PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
        ],
        updateHostedRunnerForOrg: [
          "PATCH /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
        ],
        updateOrgVariable: ["PATCH /orgs/{org}/actions/variables/{name}"],
        updateRepoVariable: [
          "PATCH /repos/{owner}/{repo}/actions/variables/{name}"
        ]
      },
      activity: {
        checkRepoIsStarredByAuthenticatedUser: ["GET /user/starred/{owner}/{repo}"],
        deleteRepoSubscription: ["DELETE /repos/{owner}/{repo}/subscription"],
        deleteThreadSubscription: [
          "DELETE /notifications/threads/{thread_id}/subscription"
        ],
        getFeeds: ["GET /feeds"],
        getRepoSubscription: ["GET /repos/{owner}/{repo}/subscription"],
        getThread: ["GET /notifications/threads/{thread_id}"],
        getThreadSubscriptionForAuthenticatedUser: [
          "GET /notifications/threads/{thread_id}/subscription"
        ],
        listEventsForAuthenticatedUser: ["GET /users/{username}/events"],
        listNotificationsForAuthenticatedUser: ["GET /notifications"],
        listOrgEventsForAuthenticatedUser: [
          "GET /users/{username}/events/orgs/{org}"
        ],
        listPublicEvents: ["GET /events"],
        listPublicEventsForRepoNetwork: ["GET /networks/{owner}/{repo}/events"],
        listPublicEventsForUser: ["GET /users/{username}/events/public"],
        listPublicOrgEvents: ["GET /orgs/{org}/events"],
        listReceivedEventsForUser: ["GET /users/{username}/received_events"],
        listReceivedPublicEventsForUser: [
          "GET /users/{username}/received_events/public"
        ],
        listRepoEvents: ["GET /repos/{owner}/{repo}/events"],
        listRepoNotificationsForAuthenticatedUser: [
          "GET /repos/{owner}/{repo}/notifications"
        ],
        listReposStarredByAuthenticatedUser: ["GET /user/starred"],
        listReposStarredByUser: ["GET /users/{username}/starred"],
        listReposWatchedByUser: ["GET /users/{username}/subscriptions"],
        listStargazersForRepo: ["GET /repos/{owner}/{repo}/stargazers"],
        listWatchedReposForAuthenticatedUser: ["GET /user/subscriptions"],
        listWatchersForRepo: ["GET /repos/{owner}/{repo}/subscribers"],
        markNotificationsAsRead: ["PUT /notifications"],
        markRepoNotificationsAsRead: ["PUT /repos/{owner}/{repo}/notifications"],
        markThreadAsDone: ["DELETE /notifications/threads/{thread_id}"],
        markThreadAsRead: ["PATCH /notifications/threads/{thread_id}"],
        setRepoSubscription: ["PUT /repos/{owner}/{repo}/subscription"],
        setThreadSubscription: [
          "PUT /notifications/threads/{thread_id}/subscription"
        ],
        starRepoForAuthenticatedUser: ["PUT /user/starred/{owner}/{repo}"],
        unstarRepoForAuthenticatedUser: ["DELETE /user/starred/{owner}/{repo}"]
      },
      apps: {
        addRepoToInstallation: [
          "PUT /user/installations/{installation_id}/repositories/{repository_id}",
          {},
          { renamed: ["apps", "addRepoToInstallationForAuthenticatedUser"] }
        ],
        addRepoToInstallationForAuthenticatedUser: [
          "PUT /user/installations/{installation_id}/repositories/{repository_id}"
        ],
        checkToken: ["POST /applications/{client_id}/token"],
        createFromManifest: ["POST /app-manifests/{code}/conversions"],
        createInstallationAccessToken: [
          "POST /app/installations/{installation_id}/access_tokens"
        ],
        deleteAuthorization: ["DELETE /applications/{client_id}/grant"],
        deleteInstallation: ["DELETE /app/installations/{installation_id}"],
        deleteToken: ["DELETE /applications/{client_id}/token"],
        getAuthenticated: ["GET /app"],
        getBySlug: ["GET /apps/{app_slug}"],
        getInstallation: ["GET /app/installations/{installation_id}"],
        getOrgInstallation: ["GET /orgs/{org}/installation"],
        getRepoInstallation: ["GET /repos/{owner}/{repo}/installation"],
        getSubscriptionPlanForAccount: [
          "GET /marketplace_listing/accounts/{account_id}"
        ],
        getSubscriptionPlanForAccountStubbed: [
          "GET /marketplace_listing/stubbed/accounts/{account_id}"
        ],
        getUserInstallation: ["GET /users/{username}/installation"],
        getWebhookConfigForApp: ["GET /app/hook/config"],
        getWebhookDelivery: ["GET /app/hook/deliveries/{delivery_id}"],
        listAccountsForPlan: ["GET /marketplace_listing/plans/{plan_id}/accounts"],
        listAccountsForPlanStubbed: [
          "GET /marketplace_listing/stubbed/plans/{plan_id}/accounts"
        ],
        listInstallationReposForAuthenticatedUser: [
          "GET /user/installations/{installation_id}/repositories"
        ],
        listInstallationRequestsForAuthenticatedApp: [
          "GET /app/installation-requests"
        ],
        listInstallations: ["GET /app/installations"],
        listInstallationsForAuthenticatedUser: ["GET /user/installations"],
        listPlans: ["GET /marketplace_listing/plans"],
        listPlansStubbed: ["GET /marketplace_listing/stubbed/plans"],
        listReposAccessibleToInstallation: ["GET /installation/repositories"],
        listSubscriptionsForAuthenticatedUser: ["GET /user/marketplace_purchases"],
        listSubscriptionsForAuthenticatedUserStubbed: [
          "GET /user/marketplace_purchases/stubbed"
        ],
        listWebhookDeliveries: ["GET /app/hook/deliveries"],
        redeliverWebhookDelivery: [
          "POST /app/hook/deliveries/{delivery_id}/attempts"
        ],
        removeRepoFromInstallation: [
          "DELETE /user/installations/{installation_id}/repositories/{repository_id}",
          {},
          { renamed: ["apps", "removeRepoFromInstallationForAuthenticatedUser"] }
        ],
        removeRepoFromInstallationForAuthenticatedUser: [
          "DELETE /user/installations/{installation_id}/repositories/{repository_id}"
        ],
        resetToken: ["PATCH /applications/{client_id}/token"],
        revokeInstallationAccessToken: ["DELETE /installation/token"],
        scopeToken: ["POST /applications/{client_id}/token/scoped"],
        suspendInstallation: ["PUT /app/installations/{installation_id}/suspended"],
        unsuspendInstallation: [
          "DELETE /app/installations/{installation_id}/suspended"
        ],
        updateWebhookConfigForApp: ["PATCH /app/hook/config"]
      },
      billing: {
        getGithubActionsBillingOrg: ["GET /orgs/{org}/settings/billing/actions"],
        getGithubActionsBillingUser: [
          "GET /users/{username}/settings/billing/actions"
        ],
        getGithubBillingPremiumRequestUsageReportOrg: [
          "GET /organizations/{org}/settings/billing/premium_request/usage"
        ],
        getGithubBillingPremiumRequestUsageReportUser: [
          "GET /users/{username}/settings/billing/premium_request/usage"
        ],
        getGithubBillingUsageReportOrg: [
          "GET /organizations/{org}/settings/billing/usage"
        ],
        getGithubBillingUsageReportUser: [
          "GET /users/{username}/settings/billing/usage"
        ],
        getGithubPackagesBillingOrg: ["GET /orgs/{org}/settings/billing/packages"],
        getGithubPackagesBillingUser: [
          "GET /users/{username}/settings/billing/packages"
        ],
        getSharedStorageBillingOrg: [
          "GET /orgs/{org}/settings/billing/shared-storage"
        ],
        getSharedStorageBillingUser: [
          "GET /users/{username}/settings/billing/shared-storage"
        ]
      },
      campaigns: {
        createCampaign: ["POST /orgs/{org}/campaigns"],
        deleteCampaign: ["DELETE /orgs/{org}/campaigns/{campaign_number}"],
        getCampaignSummary: ["GET /orgs/{org}/campaigns/{campaign_number}"],
        listOrgCampaigns: ["GET /orgs/{org}/campaigns"],
        updateCampaign: ["PATCH /orgs/{org}/campaigns/{campaign_number}"]
      },
      checks: {
        create: ["POST /repos/{owner}/{repo}/check-runs"],
        createSuite: ["POST /repos/{owner}/{repo}/check-suites"],
        get: ["GET /repos/{owner}/{repo}/check-runs/{check_run_id}"],
        getSuite: ["GET /repos/{owner}/{repo}/check-suites/{check_suite_id}"],
        listAnnotations: [
          "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations"
        ],
        listForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-runs"],
        listForSuite: [
          "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs"
        ],
        listSuitesForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-suites"],
        rerequestRun: [
          "POST /repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest"
        ],
        rerequestSuite: [
          "POST /repos/{owner}/{repo}/check-suites/{check_suite_id}/rerequest"
        ],
        setSuitesPreferences: [
          "PATCH /repos/{owner}/{repo}/check-suites/preferences"
        ],
        update: ["PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]
      },
      codeScanning: {
        commitAutofix: [
          "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix/commits"
        ],
        createAutofix: [
          "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
        ],
        createVariantAnalysis: [
          "POST /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses"
        ],
        deleteAnalysis: [
          "DELETE /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}{?confirm_delete}"
        ],
        deleteCodeqlDatabase: [
          "DELETE /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
        ],
        getAlert: [
          "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}",
          {},
          { renamedParameters: { alert_id: "alert_number" } }
        ],
        getAnalysis: [
          "GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}"
        ],
        getAutofix: [
          "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
        ],
        getCodeqlDatabase: [
          "GET /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
        ],
        getDefaultSetup: ["GET /repos/{owner}/{repo}/code-scanning/default-setup"],
        getSarif: ["GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}"],
        getVariantAnalysis: [
          "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}"
        ],
        getVariantAnalysisRepoTask: [
          "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}/repos/{repo_owner}/{repo_name}"
        ],
        listAlertInstances: [
          "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances"
        ],
        listAlertsForOrg: ["GET /orgs/{org}/code-scanning/alerts"],
        listAlertsForRepo: ["GET /repos/{owner}/{repo}/code-scanning/alerts"],
        listAlertsInstances: [
          "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances",
          {},
          { renamed: ["codeScanning", "listAlertInstances"] }
        ],
        listCodeqlDatabases: [
          "GET /repos/{owner}/{repo}/code-scanning/codeql/databases"
        ],
        listRecentAnalyses: ["GET /repos/{owner}/{repo}/code-scanning/analyses"],
        updateAlert: [
          "PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}"
        ],
        updateDefaultSetup: [
          "PATCH /repos/{owner}/{repo}/code-scanning/default-setup"
        ],
        uploadSarif: ["POST /repos/{owner}/{repo}/code-scanning/sarifs"]
      },
      codeSecurity: {
        attachConfiguration: [
          "POST /orgs/{org}/code-security/configurations/{configuration_id}/attach"
        ],
        attachEnterpriseConfiguration: [
          "POST /enterprises/{enterprise}/code-security/configurations/{configuration_id}/attach"
        ],
        createConfiguration: ["POST /orgs/{org}/code-security/configurations"],
        createConfigurationForEnterprise: [
          "POST /enterprises/{enterprise}/code-security/configurations"
        ],
        deleteConfiguration: [
          "DELETE /orgs/{org}/code-security/configurations/{configuration_id}"
        ],
        deleteConfigurationForEnterprise: [
          "DELETE /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
        ],
        detachConfiguration: [
          "DELETE /orgs/{org}/code-security/configurations/detach"
        ],
        getConfiguration: [
          "GET /orgs/{org}/code-security/configurations/{configuration_id}"
        ],
        getConfigurationForRepository: [
          "GET /repos/{owner}/{repo}/code-security-configuration"
        ],
        getConfigurationsForEnterprise: [
          "GET /enterprises/{enterprise}/code-security/configurations"
        ],
        getConfigurationsForOrg: ["GET /orgs/{org}/code-security/configurations"],
        getDefaultConfigurations: [
          "GET /orgs/{org}/code-security/configurations/defaults"
        ],
        getDefaultConfigurationsForEnterprise: [
          "GET /enterprises/{enterprise}/code-security/configurations/defaults"
        ],
        getRepositoriesForConfiguration: [
          "GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories"
        ],
        getRepositoriesForEnterpriseConfiguration: [
          "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}/repositories"
        ],
        getSingleConfigurationForEnterprise: [
          "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
        ],
        setConfigurationAsDefault: [
          "PUT /orgs/{org}/code-security/configurations/{configuration_id}/defaults"
        ],
        setConfigurationAsDefaultForEnterprise: [
          "PUT /enterprises/{enterprise}/code-security/configurations/{configuration_id}/defaults"
        ],
        updateConfiguration: [
          "PATCH /orgs/{org}/code-security/configurations/{configuration_id}"
        ],
        updateEnterpriseConfiguration: [
          "PATCH /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
        ]
      },
      codesOfConduct: {
        getAllCodesOfConduct: ["GET /codes_of_conduct"],
        getConductCode: ["GET /codes_of_conduct/{key}"]
      },
      codespaces: {
        addRepositoryForSecretForAuthenticatedUser: [
          "PUT /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
        ],
        addSelectedRepoToOrgSecret: [
          "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
        ],
        checkPermissionsForDevcontainer: [
          "GET /repos/{owner}/{repo}/codespaces/permissions_check"
        ],
        codespaceMachinesForAuthenticatedUser: [
          "GET /user/codespaces/{codespace_name}/machines"
        ],
        createForAuthenticatedUser: ["POST /user/codespaces"],
        createOrUpdateOrgSecret: [
          "PUT /orgs/{org}/codespaces/secrets/{secret_name}"
        ],
        createOrUpdateRepoSecret: [
          "PUT /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
        ],
        createOrUpdateSecretForAuthenticatedUser: [
          "PUT /user/codespaces/secrets/{secret_name}"
        ],
        createWithPrForAuthenticatedUser: [
          "POST /repos/{owner}/{repo}/pulls/{pull_number}/codespaces"
        ],
        createWithRepoForAuthenticatedUser: [
          "POST /repos/{owner}/{repo}/codespaces"
        ],
        deleteForAuthenticatedUser: ["DELETE /user/codespaces/{codespace_name}"],
        deleteFromOrganization: [
          "DELETE /orgs/{org}/members/{username}/codespaces/{codespace_name}"
        ],
        deleteOrgSecret: ["DELETE /orgs/{org}/codespaces/secrets/{secret_name}"],
        deleteRepoSecret: [
          "DELETE /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
        ],
        deleteSecretForAuthenticatedUser: [
          "DELETE /user/codespaces/secrets/{secret_name}"
        ],
        exportForAuthenticatedUser: [
          "POST /user/codespaces/{codespace_name}/exports"
        ],
        getCodespacesForUserInOrg: [
          "GET /orgs/{org}/members/{username}/codespaces"
        ],
        getExportDetailsForAuthenticatedUser: [
          "GET /user/codespaces/{codespace_name}/exports/{export_id}"
        ],
        getForAuthenticatedUser: ["GET /user/codespaces/{codespace_name}"],
        getOrgPublicKey: ["GET /orgs/{org}/codespaces/secrets/public-key"],
        getOrgSecret: ["GET /orgs/{org}/codespaces/secrets/{secret_name}"],
        getPublicKeyForAuthenticatedUser: [
          "GET /user/codespaces/secrets/public-key"
        ],
        getRepoPublicKey: [
          "GET /repos/{owner}/{repo}/codespaces/secrets/public-key"
        ],
        getRepoSecret: [
          "GET /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
        ],
        getSecretForAuthenticatedUser: [
          "GET /user/codespaces/secrets/{secret_name}"
        ],
        listDevcontainersInRepositoryForAuthenticatedUser: [
          "GET /repos/{owner}/{repo}/codespaces/devcontainers"
        ],
        listForAuthenticatedUser: ["GET /user/codespaces"],
        listInOrganization: [
          "GET /orgs/{org}/codespaces",
          {},
          { renamedParameters: { org_id: "org" } }
        ],
        listInRepositoryForAuthenticatedUser: [
          "GET /repos/{owner}/{repo}/codespaces"
        ],
        listOrgSecrets: ["GET /orgs/{org}/codespaces/secrets"],
        listRepoSecrets: ["GET /repos/{owner}/{repo}/codespaces/secrets"],
        listRepositoriesForSecretForAuthenticatedUser: [
          "GET /user/codespaces/secrets/{secret_name}/repositories"
        ],
        listSecretsForAuthenticatedUser: ["GET /user/codespaces/secrets"],
        listSelectedReposForOrgSecret: [
          "GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
        ],
        preFlightWithRepoForAuthenticatedUser: [
          "GET /repos/{owner}/{repo}/codespaces/new"
        ],
        publishForAuthenticatedUser: [
          "POST /user/codespaces/{codespace_name}/publish"
        ],
        removeRepositoryForSecretForAuthenticatedUser: [
          "DELETE /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
        ],
        removeSelectedRepoFromOrgSecret: [
          "DELETE /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
        ],
        repoMachinesForAuthenticatedUser: [
          "GET /repos/{owner}/{repo}/codespaces/machines"
        ],
        setRepositoriesForSecretForAuthenticatedUser: [
          "PUT /user/codespaces/secrets/{secret_name}/repositories"
        ],
        setSelectedReposForOrgSecret: [
          "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
        ],
        startForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/start"],
        stopForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/stop"],
        stopInOrganization: [
          "POST /orgs/{org}/members/{username}/codespaces/{codespace_name}/stop"
        ],
        updateForAuthenticatedUser: ["PATCH /user/codespaces/{codespace_name}"]
      },
      copilot: {
        addCopilotSeatsForTeams: [
          "POST /orgs/{org}/copilot/billing/selected_teams"
        ],
        addCopilotSeatsForUsers: [
          "POST /orgs/{org}/copilot/billing/selected_users"
        ],
        cancelCopilotSeatAssignmentForTeams: [
          "DELETE /orgs/{org}/copilot/billing/selected_teams"
        ],
        cancelCopilotSeatAssignmentForUsers: [
          "DELETE /orgs/{org}/copilot/billing/selected_users"
        ],
        copilotMetricsForOrganization: ["GET /orgs/{org}/copilot/metrics"],
        copilotMetricsForTeam: ["GET /orgs/{org}/team/{team_slug}/copilot/metrics"],
        getCopilotOrganizationDetails: ["GET /orgs/{org}/copilot/billing"],
        getCopilotSeatDetailsForUser: [
          "GET /orgs/{org}/members/{username}/copilot"
        ],
        listCopilotSeats: ["GET /orgs/{org}/copilot/billing/seats"]
      },
      credentials: { revoke: ["POST /credentials/revoke"] },
      dependabot: {
        addSelectedRepoToOrgSecret: [
          "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
        ],
        createOrUpdateOrgSecret: [
          "PUT /orgs/{org}/dependabot/secrets/{secret_name}"
        ],
        createOrUpdateRepoSecret: [
          "PUT /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
        ],
        deleteOrgSecret: ["DELETE /orgs/{org}/dependabot/secrets/{secret_name}"],
        deleteRepoSecret: [
          "DELETE /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
        ],
        getAlert: ["GET /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"],
        getOrgPublicKey: ["GET /orgs/{org}/dependabot/secrets/public-key"],
        getOrgSecret: ["GET /orgs/{org}/dependabot/secrets/{secret_name}"],
        getRepoPublicKey: [
          "GET /repos/{owner}/{repo}/dependabot/secrets/public-key"
        ],
        getRepoSecret: [
          "GET /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
        ],
        listAlertsForEnterprise: [
          "GET /enterprises/{enterprise}/dependabot/alerts"
        ],
        listAlertsForOrg: ["GET /orgs/{org}/dependabot/alerts"],
        listAlertsForRepo: ["GET /repos/{owner}/{repo}/dependabot/alerts"],
        listOrgSecrets: ["GET /orgs/{org}/dependabot/secrets"],
        listRepoSecrets: ["GET /repos/{owner}/{repo}/dependabot/secrets"],
        listSelectedReposForOrgSecret: [
          "GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
        ],
        removeSelectedRepoFromOrgSecret: [
          "DELETE /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
        ],
        repositoryAccessForOrg: [
          "GET /organizations/{org}/dependabot/repository-access"
        ],
        setRepositoryAccessDefaultLevel: [
          "PUT /organizations/{org}/dependabot/repository-access/default-level"
        ],
        setSelectedReposForOrgSecret: [
          "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
        ],
        updateAlert: [
          "PATCH /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"
        ],
        updateRepositoryAccessForOrg: [
          "PATCH /organizations/{org}/dependabot/repository-access"
        ]
      },
      dependencyGraph: {
        createRepositorySnapshot: [
          "POST /repos/{owner}/{repo}/dependency-graph/snapshots"
        ],
        diffRange: [
          "GET /repos/{owner}/{repo}/dependency-graph/compare/{basehead}"
        ],
        exportSbom: ["GET /repos/{owner}/{repo}/dependency-graph/sbom"]
      },
      emojis: { get: ["GET /emojis"] },
      enterpriseTeamMemberships: {
        add: [
          "PUT /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
        ],
        bulkAdd: [
          "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/add"
        ],
        bulkRemove: [
          "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/remove"
        ],
        get: [
          "GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
        ],
        list: ["GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships"],
        remove: [
          "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
        ]
      },
      enterpriseTeamOrganizations: {
        add: [
          "PUT /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
        ],
        bulkAdd: [
          "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/add"
        ],
        bulkRemove: [
          "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/remove"
        ],
        delete: [
          "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
        ],
        getAssignment: [
          "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
        ],
        getAssignments: [
          "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations"
        ]
      },
      enterpriseTeams: {
        create: ["POST /enterprises/{enterprise}/teams"],
        delete: ["DELETE /enterprises/{enterprise}/teams/{team_slug}"],
        get: ["GET /enterprises/{enterprise}/teams/{team_slug}"],
        list: ["GET /enterprises/{enterprise}/teams"],
        update: ["PATCH /enterprises/{enterprise}/teams/{team_slug}"]
      },
      gists: {
        checkIsStarred: ["GET /gists/{gist_id}/star"],
        create: ["POST /gists"],
        createComment: ["POST /gists/{gist_id}/comments"],
        delete: ["DELETE /gists/{gist_id}"],
        deleteComment: ["DELETE /gists/{gist_id}/comments/{comment_id}"],
        fork: ["POST /gists/{gist_id}/forks"],
        get: ["GET /gists/{gist_id}"],
        getComment: ["GET /gists/{gist_id}/comments/{comment_id}"],
        getRevision: ["GET /gists/{gist_id}/{sha}"],
        list: ["GET /gists"],
        listComments: ["GET /gists/{gist_id}/comments"],
        listCommits: ["GET /gists/{gist_id}/commits"],
        listForUser: ["GET /users/{username}/gists"],
        listForks: ["GET /gists/{gist_id}/forks"],
        listPublic: ["GET /gists/public"],
        listStarred: ["GET /gists/starred"],
        star: ["PUT /gists/{gist_id}/star"],
        unstar: ["DELETE /gists/{gist_id}/star"],
        update: ["PATCH /gists/{gist_id}"],
        updateComment: ["PATCH /gists/{gist_id}/comments/{comment_id}"]
      },
      git: {
        createBlob: ["POST /repos/{owner}/{repo}/git/blobs"],
        createCommit: ["POST /repos/{owner}/{repo}/git/commits"],
        createRef: ["POST /repos/{owner}/{repo}/git/refs"],
        createTag: ["POST /repos/{owner}/{repo}/git/tags"],
        createTree: ["POST /repos/{owner}/{repo}/git/trees"],
        deleteRef: ["DELETE /repos/{owner}/{repo}/git/refs/{ref}"],
        getBlob: ["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"],
        getCommit: ["GET /repos/{owner}/{repo}/git/commits/{commit_sha}"],
        getRef: ["GET /repos/{owner}/{repo}/git/ref/{ref}"],
        getTag: ["GET /repos/{owner}/{repo}/git/tags/{tag_sha}"],
        getTree: ["GET /repos/{owner}/{repo}/git/trees/{tree_sha}"],
        listMatchingRefs: ["GET /repos/{owner}/{repo}/git/matching-refs/{ref}"],
        updateRef: ["PATCH /repos/{owner}/{repo}/git/refs/{ref}"]
      },
      gitignore: {
        getAllTemplates: ["GET /gitignore/templates"],
        getTemplate: ["GET /gitignore/templates/{name}"]
      },
      hostedCompute: {
        createNetworkConfigurationForOrg: [
          "POST /orgs/{org}/settings/network-configurations"
        ],
        deleteNetworkConfigurationFromOrg: [
          "DELETE /orgs/{org}/settings/network-configurations/{network_configuration_id}"
        ],
        getNetworkConfigurationForOrg: [
          "GET /orgs/{org}/settings/network-configurations/{network_configuration_id}"
        ],
        getNetworkSettingsForOrg: [
          "GET /orgs/{org}/settings/network-settings/{network_settings_id}"
        ],
        listNetworkConfigurationsForOrg: [
          "GET /orgs/{org}/settings/network-configurations"
        ],
        updateNetworkConfigurationForOrg: [
          "PATCH /orgs/{org}/settings/network-configurations/{network_configuration_id}"
        ]
      },
      interactions: {
        getRestrictionsForAuthenticatedUser: ["GET /user/interaction-limits"],
        getRestrictionsForOrg: ["GET /orgs/{org}/interaction-limits"],
        getRestrictionsForRepo: ["GET /repos/{owner}/{repo}/interaction-limits"],
        getRestrictionsForYourPublicRepos: [
          "GET /user/interaction-limits",
          {},
          { renamed: ["interactions", "getRestrictionsForAuthenticatedUser"] }
        ],
        removeRestrictionsForAuthenticatedUser: ["DELETE /user/interaction-limits"],
        removeRestrictionsForOrg: ["DELETE /orgs/{org}/interaction-limits"],
        removeRestrictionsForRepo: [
          "DELETE /repos/{owner}/{repo}/interaction-limits"
        ],
        removeRestrictionsForYourPublicRepos: [
          "DELETE /user/interaction-limits",
          {},
          { renamed: ["interactions", "removeRestrictionsForAuthenticatedUser"] }
        ],
        setRestrictionsForAuthenticatedUser: ["PUT /user/interaction-limits"],
        setRestrictionsForOrg: ["PUT /orgs/{org}/interaction-limits"],
        setRestrictionsForRepo: ["PUT /repos/{owner}/{repo}/interaction-limits"],
        setRestrictionsForYourPublicRepos: [
          "PUT /user/interaction-limits",
          {},
          { renamed: ["interactions", "setRestrictionsForAuthenticatedUser"] }
        ]
      },
      issues: {
        addAssignees: [
          "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees"
        ],
        addBlockedByDependency: [
          "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
        ],
        addLabels: ["POST /repos/{owner}/{repo}/issues/{issue_number}/labels"],
        addSubIssue: [
          "POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
        ],
        checkUserCanBeAssigned: ["GET /repos/{owner}/{repo}/assignees/{assignee}"],
        checkUserCanBeAssignedToIssue: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/assignees/{assignee}"
        ],
        create: ["POST /repos/{owner}/{repo}/issues"],
        createComment: [
          "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"
        ],
        createLabel: ["POST /repos/{owner}/{repo}/labels"],
        createMilestone: ["POST /repos/{owner}/{repo}/milestones"],
        deleteComment: [
          "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}"
        ],
        deleteLabel: ["DELETE /repos/{owner}/{repo}/labels/{name}"],
        deleteMilestone: [
          "DELETE /repos/{owner}/{repo}/milestones/{milestone_number}"
        ],
        get: ["GET /repos/{owner}/{repo}/issues/{issue_number}"],
        getComment: ["GET /repos/{owner}/{repo}/issues/comments/{comment_id}"],
        getEvent: ["GET /repos/{owner}/{repo}/issues/events/{event_id}"],
        getLabel: ["GET /repos/{owner}/{repo}/labels/{name}"],
        getMilestone: ["GET /repos/{owner}/{repo}/milestones/{milestone_number}"],
        getParent: ["GET /repos/{owner}/{repo}/issues/{issue_number}/parent"],
        list: ["GET /issues"],
        listAssignees: ["GET /repos/{owner}/{repo}/assignees"],
        listComments: ["GET /repos/{owner}/{repo}/issues/{issue_number}/comments"],
        listCommentsForRepo: ["GET /repos/{owner}/{repo}/issues/comments"],
        listDependenciesBlockedBy: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
        ],
        listDependenciesBlocking: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking"
        ],
        listEvents: ["GET /repos/{owner}/{repo}/issues/{issue_number}/events"],
        listEventsForRepo: ["GET /repos/{owner}/{repo}/issues/events"],
        listEventsForTimeline: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline"
        ],
        listForAuthenticatedUser: ["GET /user/issues"],
        listForOrg: ["GET /orgs/{org}/issues"],
        listForRepo: ["GET /repos/{owner}/{repo}/issues"],
        listLabelsForMilestone: [
          "GET /repos/{owner}/{repo}/milestones/{milestone_number}/labels"
        ],
        listLabelsForRepo: ["GET /repos/{owner}/{repo}/labels"],
        listLabelsOnIssue: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/labels"
        ],
        listMilestones: ["GET /repos/{owner}/{repo}/milestones"],
        listSubIssues: [
          "GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
        ],
        lock: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/lock"],
        removeAllLabels: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels"
        ],
        removeAssignees: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees"
        ],
        removeDependencyBlockedBy: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}"
        ],
        removeLabel: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"
        ],
        removeSubIssue: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue"
        ],
        reprioritizeSubIssue: [
          "PATCH /repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority"
        ],
        setLabels: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/labels"],
        unlock: ["DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock"],
        update: ["PATCH /repos/{owner}/{repo}/issues/{issue_number}"],
        updateComment: ["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"],
        updateLabel: ["PATCH /repos/{owner}/{repo}/labels/{name}"],
        updateMilestone: [
          "PATCH /repos/{owner}/{repo}/milestones/{milestone_number}"
        ]
      },
      licenses: {
        get: ["GET /licenses/{license}"],
        getAllCommonlyUsed: ["GET /licenses"],
        getForRepo: ["GET /repos/{owner}/{repo}/license"]
      },
      markdown: {
        render: ["POST /markdown"],
        renderRaw: [
          "POST /markdown/raw",
          { headers: { "content-type": "text/plain; charset=utf-8" } }
        ]
      },
      meta: {
        get: ["GET /meta"],
        getAllVersions: ["GET /versions"],
        getOctocat: ["GET /octocat"],
        getZen: ["GET /zen"],
        root: ["GET /"]
      },
      migrations: {
        deleteArchiveForAuthenticatedUser: [
          "DELETE /user/migrations/{migration_id}/archive"
        ],
        deleteArchiveForOrg: [
          "DELETE /orgs/{org}/migrations/{migration_id}/archive"
        ],
        downloadArchiveForOrg: [
          "GET /orgs/{org}/migrations/{migration_id}/archive"
        ],
        getArchiveForAuthenticatedUser: [
          "GET /user/migrations/{migration_id}/archive"
        ],
        getStatusForAuthenticatedUser: ["GET /user/migrations/{migration_id}"],
        getStatusForOrg: ["GET /orgs/{org}/migrations/{migration_id}"],
        listForAuthenticatedUser: ["GET /user/migrations"],
        listForOrg: ["GET /orgs/{org}/migrations"],
        listReposForAuthenticatedUser: [
          "GET /user/migrations/{migration_id}/repositories"
        ],
        listReposForOrg: ["GET /orgs/{org}/migrations/{migration_id}/repositories"],
        listReposForUser: [
          "GET /user/migrations/{migration_id}/repositories",
          {},
          { renamed: ["migrations", "listReposForAuthenticatedUser"] }
        ],
        startForAuthenticatedUser: ["POST /user/migrations"],
        startForOrg: ["POST /orgs/{org}/migrations"],
        unlockRepoForAuthenticatedUser: [
          "DELETE /user/migrations/{migration_id}/repos/{repo_name}/lock"
        ],
        unlockRepoForOrg: [
          "DELETE /orgs/{org}/migrations/{migration_id}/repos/{repo_name}/lock"
        ]
      },
      oidc: {
        getOidcCustomSubTemplateForOrg: [
          "GET /orgs/{org}/actions/oidc/customization/sub"
        ],
        updateOidcCustomSubTemplateForOrg: [
          "PUT /orgs/{org}/actions/oidc/customization/sub"
        ]
      },
      orgs: {
        addSecurityManagerTeam: [
          "PUT /orgs/{org}/security-managers/teams/{team_slug}",
          {},
          {
            deprecated: "octokit.rest.orgs.addSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#add-a-security-manager-team"
          }
        ],
        assignTeamToOrgRole: [
          "PUT /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
        ],
        assignUserToOrgRole: [
          "PUT /orgs/{org}/organization-roles/users/{username}/{role_id}"
        ],
        blockUser: ["PUT /orgs/{org}/blocks/{username}"],
        cancelInvitation: ["DELETE /orgs/{org}/invitations/{invitation_id}"],
        checkBlockedUser: ["GET /orgs/{org}/blocks/{username}"],
        checkMembershipForUser: ["GET /orgs/{org}/members/{username}"],
        checkPublicMembershipForUser: ["GET /orgs/{org}/public_members/{username}"],
        convertMemberToOutsideCollaborator: [
          "PUT /orgs/{org}/outside_collaborators/{username}"
        ],
        createArtifactStorageRecord: [
          "POST /orgs/{org}/artifacts/metadata/storage-record"
        ],
        createInvitation: ["POST /orgs/{org}/invitations"],
        createIssueType: ["POST /orgs/{org}/issue-types"],
        createWebhook: ["POST /orgs/{org}/hooks"],
        customPropertiesForOrgsCreateOrUpdateOrganizationValues: [
          "PATCH /organizations/{org}/org-properties/values"
        ],
        customPropertiesForOrgsGetOrganizationValues: [
          "GET /organizations/{org}/org-properties/values"
        ],
        customPropertiesForReposCreateOrUpdateOrganizationDefinition: [
          "PUT /orgs/{org}/properties/schema/{custom_property_name}"
        ],
        customPropertiesForReposCreateOrUpdateOrganizationDefinitions: [
          "PATCH /orgs/{org}/properties/schema"
        ],
        customPropertiesForReposCreateOrUpdateOrganizationValues: [
          "PATCH /orgs/{org}/properties/values"
        ],
        customPropertiesForReposDeleteOrganizationDefinition: [
          "DELETE /orgs/{org}/properties/schema/{custom_property_name}"
        ],
        customPropertiesForReposGetOrganizationDefinition: [
          "GET /orgs/{org}/properties/schema/{custom_property_name}"
        ],
        customPropertiesForReposGetOrganizationDefinitions: [
          "GET /orgs/{org}/properties/schema"
        ],
        customPropertiesForReposGetOrganizationValues: [
          "GET /orgs/{org}/properties/values"
        ],
        delete: ["DELETE /orgs/{org}"],
        deleteAttestationsBulk: ["POST /orgs/{org}/attestations/delete-request"],
        deleteAttestationsById: [
          "DELETE /orgs/{org}/attestations/{attestation_id}"
        ],
        deleteAttestationsBySubjectDigest: [
          "DELETE /orgs/{org}/attestations/digest/{subject_digest}"
        ],
        deleteIssueType: ["DELETE /orgs/{org}/issue-types/{issue_type_id}"],
        deleteWebhook: ["DELETE /orgs/{org}/hooks/{hook_id}"],
        disableSelectedRepositoryImmutableReleasesOrganization: [
          "DELETE /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
        ],
        enableSelectedRepositoryImmutableReleasesOrganization: [
          "PUT /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
        ],
        get: ["GET /orgs/{org}"],
        getImmutableReleasesSettings: [
          "GET /orgs/{org}/settings/immutable-releases"
        ],
        getImmutableReleasesSettingsRepositories: [
          "GET /orgs/{org}/settings/immutable-releases/repositories"
        ],
        getMembershipForAuthenticatedUser: ["GET /user/memberships/orgs/{org}"],
        getMembershipForUser: ["GET /orgs/{org}/memberships/{username}"],
        getOrgRole: ["GET /orgs/{org}/organization-roles/{role_id}"],
        getOrgRulesetHistory: ["GET /orgs/{org}/rulesets/{ruleset_id}/history"],
        getOrgRulesetVersion: [
          "GET /orgs/{org}/rulesets/{ruleset_id}/history/{version_id}"
        ],
        getWebhook: ["GET /orgs/{org}/hooks/{hook_id}"],
        getWebhookConfigForOrg: ["GET /orgs/{org}/hooks/{hook_id}/config"],
        getWebhookDelivery: [
          "GET /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}"
        ],
        list: ["GET /organizations"],
        listAppInstallations: ["GET /orgs/{org}/installations"],
        listArtifactStorageRecords: [
          "GET /orgs/{org}/artifacts/{subject_digest}/metadata/storage-records"
        ],
        listAttestationRepositories: ["GET /orgs/{org}/attestations/repositories"],
        listAttestations: ["GET /orgs/{org}/attestations/{subject_digest}"],
        listAttestationsBulk: [
          "POST /orgs/{org}/attestations/bulk-list{?per_page,before,after}"
        ],
        listBlockedUsers: ["GET /orgs/{org}/blocks"],
        listFailedInvitations: ["GET /orgs/{org}/failed_invitations"],
        listForAuthenticatedUser: ["GET /user/orgs"],
        listForUser: ["GET /users/{username}/orgs"],
        listInvitationTeams: ["GET /orgs/{org}/invitations/{invitation_id}/teams"],
        listIssueTypes: ["GET /orgs/{org}/issue-types"],
        listMembers: ["GET /orgs/{org}/members"],
        listMembershipsForAuthenticatedUser: ["GET /user/memberships/orgs"],
        listOrgRoleTeams: ["GET /orgs/{org}/organization-roles/{role_id}/teams"],
        listOrgRoleUsers: ["GET /orgs/{org}/organization-roles/{role_id}/users"],
        listOrgRoles: ["GET /orgs/{org}/organization-roles"],
        listOrganizationFineGrainedPermissions: [
          "GET /orgs/{org}/organization-fine-grained-permissions"
        ],
        listOutsideCollaborators: ["GET /orgs/{org}/outside_collaborators"],
        listPatGrantRepositories: [
          "GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories"
        ],
        listPatGrantRequestRepositories: [
          "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories"
        ],
        listPatGrantRequests: ["GET /orgs/{org}/personal-access-token-requests"],
        listPatGrants: ["GET /orgs/{org}/personal-access-tokens"],
        listPendingInvitations: ["GET /orgs/{org}/invitations"],
        listPublicMembers: ["GET /orgs/{org}/public_members"],
        listSecurityManagerTeams: [
          "GET /orgs/{org}/security-managers",
          {},
          {
            deprecated: "octokit.rest.orgs.listSecurityManagerTeams() is deprecated, see https://docs.github.com/rest/orgs/security-managers#list-security-manager-teams"
          }
        ],
        listWebhookDeliveries: ["GET /orgs/{org}/hooks/{hook_id}/deliveries"],
        listWebhooks: ["GET /orgs/{org}/hooks"],
        pingWebhook: ["POST /orgs/{org}/hooks/{hook_id}/pings"],
        redeliverWebhookDelivery: [
          "POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
        ],
        removeMember: ["DELETE /orgs/{org}/members/{username}"],
        removeMembershipForUser: ["DELETE /orgs/{org}/memberships/{username}"],
        removeOutsideCollaborator: [
          "DELETE /orgs/{org}/outside_collaborators/{username}"
        ],
        removePublicMembershipForAuthenticatedUser: [
          "DELETE /orgs/{org}/public_members/{username}"
        ],
        removeSecurityManagerTeam: [
          "DELETE /orgs/{org}/security-managers/teams/{team_slug}",
          {},
          {
            deprecated: "octokit.rest.orgs.removeSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#remove-a-security-manager-team"
          }
        ],
        reviewPatGrantRequest: [
          "POST /orgs/{org}/personal-access-token-requests/{pat_request_id}"
        ],
        reviewPatGrantRequestsInBulk: [
          "POST /orgs/{org}/personal-access-token-requests"
        ],
        revokeAllOrgRolesTeam: [
          "DELETE /orgs/{org}/organization-roles/teams/{team_slug}"
        ],
        revokeAllOrgRolesUser: [
          "DELETE /orgs/{org}/organization-roles/users/{username}"
        ],
        revokeOrgRoleTeam: [
          "DELETE /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
        ],
        revokeOrgRoleUser: [
          "DELETE /orgs/{org}/organization-roles/users/{username}/{role_id}"
        ],
        setImmutableReleasesSettings: [
          "PUT /orgs/{org}/settings/immutable-releases"
        ],
        setImmutableReleasesSettingsRepositories: [
          "PUT /orgs/{org}/settings/immutable-releases/repositories"
        ],
        setMembershipForUser: ["PUT /orgs/{org}/memberships/{username}"],
        setPublicMembershipForAuthenticatedUser: [
          "PUT /orgs/{org}/public_members/{username}"
        ],
        unblockUser: ["DELETE /orgs/{org}/blocks/{username}"],
        update: ["PATCH /orgs/{org}"],
        updateIssueType: ["PUT /orgs/{org}/issue-types/{issue_type_id}"],
        updateMembershipForAuthenticatedUser: [
          "PATCH /user/memberships/orgs/{org}"
        ],
        updatePatAccess: ["POST /orgs/{org}/personal-access-tokens/{pat_id}"],
        updatePatAccesses: ["POST /orgs/{org}/personal-access-tokens"],
        updateWebhook: ["PATCH /orgs/{org}/hooks/{hook_id}"],
        updateWebhookConfigForOrg: ["PATCH /orgs/{org}/hooks/{hook_id}/config"]
      },
      packages: {
        deletePackageForAuthenticatedUser: [
          "DELETE /user/packages/{package_type}/{package_name}"
        ],
        deletePackageForOrg: [
          "DELETE /orgs/{org}/packages/{package_type}/{package_name}"
        ],
        deletePackageForUser: [
          "DELETE /users/{username}/packages/{package_type}/{package_name}"
        ],
        deletePackageVersionForAuthenticatedUser: [
          "DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        deletePackageVersionForOrg: [
          "DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        deletePackageVersionForUser: [
          "DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        getAllPackageVersionsForAPackageOwnedByAnOrg: [
          "GET /orgs/{org}/packages/{package_type}/{package_name}/versions",
          {},
          { renamed: ["packages", "getAllPackageVersionsForPackageOwnedByOrg"] }
        ],
        getAllPackageVersionsForAPackageOwnedByTheAuthenticatedUser: [
          "GET /user/packages/{package_type}/{package_name}/versions",
          {},
          {
            renamed: [
              "packages",
              "getAllPackageVersionsForPackageOwnedByAuthenticatedUser"
            ]
          }
        ],
        getAllPackageVersionsForPackageOwnedByAuthenticatedUser: [
          "GET /user/packages/{package_type}/{package_name}/versions"
        ],
        getAllPackageVersionsForPackageOwnedByOrg: [
          "GET /orgs/{org}/packages/{package_type}/{package_name}/versions"
        ],
        getAllPackageVersionsForPackageOwnedByUser: [
          "GET /users/{username}/packages/{package_type}/{package_name}/versions"
        ],
        getPackageForAuthenticatedUser: [
          "GET /user/packages/{package_type}/{package_name}"
        ],
        getPackageForOrganization: [
          "GET /orgs/{org}/packages/{package_type}/{package_name}"
        ],
        getPackageForUser: [
          "GET /users/{username}/packages/{package_type}/{package_name}"
        ],
        getPackageVersionForAuthenticatedUser: [
          "GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        getPackageVersionForOrganization: [
          "GET /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        getPackageVersionForUser: [
          "GET /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
        ],
        listDockerMigrationConflictingPackagesForAuthenticatedUser: [
          "GET /user/docker/conflicts"
        ],
        listDockerMigrationConflictingPackagesForOrganization: [
          "GET /orgs/{org}/docker/conflicts"
        ],
        listDockerMigrationConflictingPackagesForUser: [
          "GET /users/{username}/docker/conflicts"
        ],
        listPackagesForAuthenticatedUser: ["GET /user/packages"],
        listPackagesForOrganization: ["GET /orgs/{org}/packages"],
        listPackagesForUser: ["GET /users/{username}/packages"],
        restorePackageForAuthenticatedUser: [
          "POST /user/packages/{package_type}/{package_name}/restore{?token}"
        ],
        restorePackageForOrg: [
          "POST /orgs/{org}/packages/{package_type}/{package_name}/restore{?token}"
        ],
        restorePackageForUser: [
          "POST /users/{username}/packages/{package_type}/{package_name}/restore{?token}"
        ],
        restorePackageVersionForAuthenticatedUser: [
          "POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
        ],
        restorePackageVersionForOrg: [
          "POST /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
        ],
        restorePackageVersionForUser: [
          "POST /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
        ]
      },
      privateRegistries: {
        createOrgPrivateRegistry: ["POST /orgs/{org}/private-registries"],
        deleteOrgPrivateRegistry: [
          "DELETE /orgs/{org}/private-registries/{secret_name}"
        ],
        getOrgPrivateRegistry: ["GET /orgs/{org}/private-registries/{secret_name}"],
        getOrgPublicKey: ["GET /orgs/{org}/private-registries/public-key"],
        listOrgPrivateRegistries: ["GET /orgs/{org}/private-registries"],
        updateOrgPrivateRegistry: [
          "PATCH /orgs/{org}/private-registries/{secret_name}"
        ]
      },
      projects: {
        addItemForOrg: ["POST /orgs/{org}/projectsV2/{project_number}/items"],
        addItemForUser: [
          "POST /users/{username}/projectsV2/{project_number}/items"
        ],
        deleteItemForOrg: [
          "DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
        ],
        deleteItemForUser: [
          "DELETE /users/{username}/projectsV2/{project_number}/items/{item_id}"
        ],
        getFieldForOrg: [
          "GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}"
        ],
        getFieldForUser: [
          "GET /users/{username}/projectsV2/{project_number}/fields/{field_id}"
        ],
        getForOrg: ["GET /orgs/{org}/projectsV2/{project_number}"],
        getForUser: ["GET /users/{username}/projectsV2/{project_number}"],
        getOrgItem: ["GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}"],
        getUserItem: [
          "GET /users/{username}/projectsV2/{project_number}/items/{item_id}"
        ],
        listFieldsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/fields"],
        listFieldsForUser: [
          "GET /users/{username}/projectsV2/{project_number}/fields"
        ],
        listForOrg: ["GET /orgs/{org}/projectsV2"],
        listForUser: ["GET /users/{username}/projectsV2"],
        listItemsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/items"],
        listItemsForUser: [
          "GET /users/{username}/projectsV2/{project_number}/items"
        ],
        updateItemForOrg: [
          "PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
        ],
        updateItemForUser: [
          "PATCH /users/{username}/projectsV2/{project_number}/items/{item_id}"
        ]
      },
      pulls: {
        checkIfMerged: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
        create: ["POST /repos/{owner}/{repo}/pulls"],
        createReplyForReviewComment: [
          "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"
        ],
        createReview: ["POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
        createReviewComment: [
          "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments"
        ],
        deletePendingReview: [
          "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
        ],
        deleteReviewComment: [
          "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}"
        ],
        dismissReview: [
          "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals"
        ],
        get: ["GET /repos/{owner}/{repo}/pulls/{pull_number}"],
        getReview: [
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
        ],
        getReviewComment: ["GET /repos/{owner}/{repo}/pulls/comments/{comment_id}"],
        list: ["GET /repos/{owner}/{repo}/pulls"],
        listCommentsForReview: [
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments"
        ],
        listCommits: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"],
        listFiles: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"],
        listRequestedReviewers: [
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
        ],
        listReviewComments: [
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"
        ],
        listReviewCommentsForRepo: ["GET /repos/{owner}/{repo}/pulls/comments"],
        listReviews: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
        merge: ["PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
        removeRequestedReviewers: [
          "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
        ],
        requestReviewers: [
          "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
        ],
        submitReview: [
          "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events"
        ],
        update: ["PATCH /repos/{owner}/{repo}/pulls/{pull_number}"],
        updateBranch: [
          "PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch"
        ],
        updateReview: [
          "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
        ],
        updateReviewComment: [
          "PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}"
        ]
      },
      rateLimit: { get: ["GET /rate_limit"] },
      reactions: {
        createForCommitComment: [
          "POST /repos/{owner}/{repo}/comments/{comment_id}/reactions"
        ],
        createForIssue: [
          "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions"
        ],
        createForIssueComment: [
          "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
        ],
        createForPullRequestReviewComment: [
          "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
        ],
        createForRelease: [
          "POST /repos/{owner}/{repo}/releases/{release_id}/reactions"
        ],
        createForTeamDiscussionCommentInOrg: [
          "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
        ],
        createForTeamDiscussionInOrg: [
          "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
        ],
        deleteForCommitComment: [
          "DELETE /repos/{owner}/{repo}/comments/{comment_id}/reactions/{reaction_id}"
        ],
        deleteForIssue: [
          "DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}"
        ],
        deleteForIssueComment: [
          "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}"
        ],
        deleteForPullRequestComment: [
          "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions/{reaction_id}"
        ],
        deleteForRelease: [
          "DELETE /repos/{owner}/{repo}/releases/{release_id}/reactions/{reaction_id}"
        ],
        deleteForTeamDiscussion: [
          "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions/{reaction_id}"
        ],
        deleteForTeamDiscussionComment: [
          "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions/{reaction_id}"
        ],
        listForCommitComment: [
          "GET /repos/{owner}/{repo}/comments/{comment_id}/reactions"
        ],
        listForIssue: ["GET /repos/{owner}/{repo}/issues/{issue_number}/reactions"],
        listForIssueComment: [
          "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
        ],
        listForPullRequestReviewComment: [
          "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
        ],
        listForRelease: [
          "GET /repos/{owner}/{repo}/releases/{release_id}/reactions"
        ],
        listForTeamDiscussionCommentInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
        ],
        listForTeamDiscussionInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
        ]
      },
      repos: {
        acceptInvitation: [
          "PATCH /user/repository_invitations/{invitation_id}",
          {},
          { renamed: ["repos", "acceptInvitationForAuthenticatedUser"] }
        ],
        acceptInvitationForAuthenticatedUser: [
          "PATCH /user/repository_invitations/{invitation_id}"
        ],
        addAppAccessRestrictions: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
          {},
          { mapToData: "apps" }
        ],
        addCollaborator: ["PUT /repos/{owner}/{repo}/collaborators/{username}"],
        addStatusCheckContexts: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
          {},
          { mapToData: "contexts" }
        ],
        addTeamAccessRestrictions: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
          {},
          { mapToData: "teams" }
        ],
        addUserAccessRestrictions: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
          {},
          { mapToData: "users" }
        ],
        cancelPagesDeployment: [
          "POST /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}/cancel"
        ],
        checkAutomatedSecurityFixes: [
          "GET /repos/{owner}/{repo}/automated-security-fixes"
        ],
        checkCollaborator: ["GET /repos/{owner}/{repo}/collaborators/{username}"],
        checkImmutableReleases: ["GET /repos/{owner}/{repo}/immutable-releases"],
        checkPrivateVulnerabilityReporting: [
          "GET /repos/{owner}/{repo}/private-vulnerability-reporting"
        ],
        checkVulnerabilityAlerts: [
          "GET /repos/{owner}/{repo}/vulnerability-alerts"
        ],
        codeownersErrors: ["GET /repos/{owner}/{repo}/codeowners/errors"],
        compareCommits: ["GET /repos/{owner}/{repo}/compare/{base}...{head}"],
        compareCommitsWithBasehead: [
          "GET /repos/{owner}/{repo}/compare/{basehead}"
        ],
        createAttestation: ["POST /repos/{owner}/{repo}/attestations"],
        createAutolink: ["POST /repos/{owner}/{repo}/autolinks"],
        createCommitComment: [
          "POST /repos/{owner}/{repo}/commits/{commit_sha}/comments"
        ],
        createCommitSignatureProtection: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
        ],
        createCommitStatus: ["POST /repos/{owner}/{repo}/statuses/{sha}"],
        createDeployKey: ["POST /repos/{owner}/{repo}/keys"],
        createDeployment: ["POST /repos/{owner}/{repo}/deployments"],
        createDeploymentBranchPolicy: [
          "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
        ],
        createDeploymentProtectionRule: [
          "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
        ],
        createDeploymentStatus: [
          "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
        ],
        createDispatchEvent: ["POST /repos/{owner}/{repo}/dispatches"],
        createForAuthenticatedUser: ["POST /user/repos"],
        createFork: ["POST /repos/{owner}/{repo}/forks"],
        createInOrg: ["POST /orgs/{org}/repos"],
        createOrUpdateEnvironment: [
          "PUT /repos/{owner}/{repo}/environments/{environment_name}"
        ],
        createOrUpdateFileContents: ["PUT /repos/{owner}/{repo}/contents/{path}"],
        createOrgRuleset: ["POST /orgs/{org}/rulesets"],
        createPagesDeployment: ["POST /repos/{owner}/{repo}/pages/deployments"],
        createPagesSite: ["POST /repos/{owner}/{repo}/pages"],
        createRelease: ["POST /repos/{owner}/{repo}/releases"],
        createRepoRuleset: ["POST /repos/{owner}/{repo}/rulesets"],
        createUsingTemplate: [
          "POST /repos/{template_owner}/{template_repo}/generate"
        ],
        createWebhook: ["POST /repos/{owner}/{repo}/hooks"],
        customPropertiesForReposCreateOrUpdateRepositoryValues: [
          "PATCH /repos/{owner}/{repo}/properties/values"
        ],
        customPropertiesForReposGetRepositoryValues: [
          "GET /repos/{owner}/{repo}/properties/values"
        ],
        declineInvitation: [
          "DELETE /user/repository_invitations/{invitation_id}",
          {},
          { renamed: ["repos", "declineInvitationForAuthenticatedUser"] }
        ],
        declineInvitationForAuthenticatedUser: [
          "DELETE /user/repository_invitations/{invitation_id}"
        ],
        delete: ["DELETE /repos/{owner}/{repo}"],
        deleteAccessRestrictions: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
        ],
        deleteAdminBranchProtection: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
        ],
        deleteAnEnvironment: [
          "DELETE /repos/{owner}/{repo}/environments/{environment_name}"
        ],
        deleteAutolink: ["DELETE /repos/{owner}/{repo}/autolinks/{autolink_id}"],
        deleteBranchProtection: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection"
        ],
        deleteCommitComment: ["DELETE /repos/{owner}/{repo}/comments/{comment_id}"],
        deleteCommitSignatureProtection: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
        ],
        deleteDeployKey: ["DELETE /repos/{owner}/{repo}/keys/{key_id}"],
        deleteDeployment: [
          "DELETE /repos/{owner}/{repo}/deployments/{deployment_id}"
        ],
        deleteDeploymentBranchPolicy: [
          "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
        ],
        deleteFile: ["DELETE /repos/{owner}/{repo}/contents/{path}"],
        deleteInvitation: [
          "DELETE /repos/{owner}/{repo}/invitations/{invitation_id}"
        ],
        deleteOrgRuleset: ["DELETE /orgs/{org}/rulesets/{ruleset_id}"],
        deletePagesSite: ["DELETE /repos/{owner}/{repo}/pages"],
        deletePullRequestReviewProtection: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
        ],
        deleteRelease: ["DELETE /repos/{owner}/{repo}/releases/{release_id}"],
        deleteReleaseAsset: [
          "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}"
        ],
        deleteRepoRuleset: ["DELETE /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
        deleteWebhook: ["DELETE /repos/{owner}/{repo}/hooks/{hook_id}"],
        disableAutomatedSecurityFixes: [
          "DELETE /repos/{owner}/{repo}/automated-security-fixes"
        ],
        disableDeploymentProtectionRule: [
          "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
        ],
        disableImmutableReleases: [
          "DELETE /repos/{owner}/{repo}/immutable-releases"
        ],
        disablePrivateVulnerabilityReporting: [
          "DELETE /repos/{owner}/{repo}/private-vulnerability-reporting"
        ],
        disableVulnerabilityAlerts: [
          "DELETE /repos/{owner}/{repo}/vulnerability-alerts"
        ],
        downloadArchive: [
          "GET /repos/{owner}/{repo}/zipball/{ref}",
          {},
          { renamed: ["repos", "downloadZipballArchive"] }
        ],
        downloadTarballArchive: ["GET /repos/{owner}/{repo}/tarball/{ref}"],
        downloadZipballArchive: ["GET /repos/{owner}/{repo}/zipball/{ref}"],
        enableAutomatedSecurityFixes: [
          "PUT /repos/{owner}/{repo}/automated-security-fixes"
        ],
        enableImmutableReleases: ["PUT /repos/{owner}/{repo}/immutable-releases"],
        enablePrivateVulnerabilityReporting: [
          "PUT /repos/{owner}/{repo}/private-vulnerability-reporting"
        ],
        enableVulnerabilityAlerts: [
          "PUT /repos/{owner}/{repo}/vulnerability-alerts"
        ],
        generateReleaseNotes: [
          "POST /repos/{owner}/{repo}/releases/generate-notes"
        ],
        get: ["GET /repos/{owner}/{repo}"],
        getAccessRestrictions: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
        ],
        getAdminBranchProtection: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
        ],
        getAllDeploymentProtectionRules: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
        ],
        getAllEnvironments: ["GET /repos/{owner}/{repo}/environments"],
        getAllStatusCheckContexts: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts"
        ],
        getAllTopics: ["GET /repos/{owner}/{repo}/topics"],
        getAppsWithAccessToProtectedBranch: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps"
        ],
        getAutolink: ["GET /repos/{owner}/{repo}/autolinks/{autolink_id}"],
        getBranch: ["GET /repos/{owner}/{repo}/branches/{branch}"],
        getBranchProtection: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection"
        ],
        getBranchRules: ["GET /repos/{owner}/{repo}/rules/branches/{branch}"],
        getClones: ["GET /repos/{owner}/{repo}/traffic/clones"],
        getCodeFrequencyStats: ["GET /repos/{owner}/{repo}/stats/code_frequency"],
        getCollaboratorPermissionLevel: [
          "GET /repos/{owner}/{repo}/collaborators/{username}/permission"
        ],
        getCombinedStatusForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/status"],
        getCommit: ["GET /repos/{owner}/{repo}/commits/{ref}"],
        getCommitActivityStats: ["GET /repos/{owner}/{repo}/stats/commit_activity"],
        getCommitComment: ["GET /repos/{owner}/{repo}/comments/{comment_id}"],
        getCommitSignatureProtection: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
        ],
        getCommunityProfileMetrics: ["GET /repos/{owner}/{repo}/community/profile"],
        getContent: ["GET /repos/{owner}/{repo}/contents/{path}"],
        getContributorsStats: ["GET /repos/{owner}/{repo}/stats/contributors"],
        getCustomDeploymentProtectionRule: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
        ],
        getDeployKey: ["GET /repos/{owner}/{repo}/keys/{key_id}"],
        getDeployment: ["GET /repos/{owner}/{repo}/deployments/{deployment_id}"],
        getDeploymentBranchPolicy: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
        ],
        getDeploymentStatus: [
          "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}"
        ],
        getEnvironment: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}"
        ],
        getLatestPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/latest"],
        getLatestRelease: ["GET /repos/{owner}/{repo}/releases/latest"],
        getOrgRuleSuite: ["GET /orgs/{org}/rulesets/rule-suites/{rule_suite_id}"],
        getOrgRuleSuites: ["GET /orgs/{org}/rulesets/rule-suites"],
        getOrgRuleset: ["GET /orgs/{org}/rulesets/{ruleset_id}"],
        getOrgRulesets: ["GET /orgs/{org}/rulesets"],
        getPages: ["GET /repos/{owner}/{repo}/pages"],
        getPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/{build_id}"],
        getPagesDeployment: [
          "GET /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}"
        ],
        getPagesHealthCheck: ["GET /repos/{owner}/{repo}/pages/health"],
        getParticipationStats: ["GET /repos/{owner}/{repo}/stats/participation"],
        getPullRequestReviewProtection: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
        ],
        getPunchCardStats: ["GET /repos/{owner}/{repo}/stats/punch_card"],
        getReadme: ["GET /repos/{owner}/{repo}/readme"],
        getReadmeInDirectory: ["GET /repos/{owner}/{repo}/readme/{dir}"],
        getRelease: ["GET /repos/{owner}/{repo}/releases/{release_id}"],
        getReleaseAsset: ["GET /repos/{owner}/{repo}/releases/assets/{asset_id}"],
        getReleaseByTag: ["GET /repos/{owner}/{repo}/releases/tags/{tag}"],
        getRepoRuleSuite: [
          "GET /repos/{owner}/{repo}/rulesets/rule-suites/{rule_suite_id}"
        ],
        getRepoRuleSuites: ["GET /repos/{owner}/{repo}/rulesets/rule-suites"],
        getRepoRuleset: ["GET /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
        getRepoRulesetHistory: [
          "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history"
        ],
        getRepoRulesetVersion: [
          "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history/{version_id}"
        ],
        getRepoRulesets: ["GET /repos/{owner}/{repo}/rulesets"],
        getStatusChecksProtection: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
        ],
        getTeamsWithAccessToProtectedBranch: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams"
        ],
        getTopPaths: ["GET /repos/{owner}/{repo}/traffic/popular/paths"],
        getTopReferrers: ["GET /repos/{owner}/{repo}/traffic/popular/referrers"],
        getUsersWithAccessToProtectedBranch: [
          "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users"
        ],
        getViews: ["GET /repos/{owner}/{repo}/traffic/views"],
        getWebhook: ["GET /repos/{owner}/{repo}/hooks/{hook_id}"],
        getWebhookConfigForRepo: [
          "GET /repos/{owner}/{repo}/hooks/{hook_id}/config"
        ],
        getWebhookDelivery: [
          "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}"
        ],
        listActivities: ["GET /repos/{owner}/{repo}/activity"],
        listAttestations: [
          "GET /repos/{owner}/{repo}/attestations/{subject_digest}"
        ],
        listAutolinks: ["GET /repos/{owner}/{repo}/autolinks"],
        listBranches: ["GET /repos/{owner}/{repo}/branches"],
        listBranchesForHeadCommit: [
          "GET /repos/{owner}/{repo}/commits/{commit_sha}/branches-where-head"
        ],
        listCollaborators: ["GET /repos/{owner}/{repo}/collaborators"],
        listCommentsForCommit: [
          "GET /repos/{owner}/{repo}/commits/{commit_sha}/comments"
        ],
        listCommitCommentsForRepo: ["GET /repos/{owner}/{repo}/comments"],
        listCommitStatusesForRef: [
          "GET /repos/{owner}/{repo}/commits/{ref}/statuses"
        ],
        listCommits: ["GET /repos/{owner}/{repo}/commits"],
        listContributors: ["GET /repos/{owner}/{repo}/contributors"],
        listCustomDeploymentRuleIntegrations: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/apps"
        ],
        listDeployKeys: ["GET /repos/{owner}/{repo}/keys"],
        listDeploymentBranchPolicies: [
          "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
        ],
        listDeploymentStatuses: [
          "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
        ],
        listDeployments: ["GET /repos/{owner}/{repo}/deployments"],
        listForAuthenticatedUser: ["GET /user/repos"],
        listForOrg: ["GET /orgs/{org}/repos"],
        listForUser: ["GET /users/{username}/repos"],
        listForks: ["GET /repos/{owner}/{repo}/forks"],
        listInvitations: ["GET /repos/{owner}/{repo}/invitations"],
        listInvitationsForAuthenticatedUser: ["GET /user/repository_invitations"],
        listLanguages: ["GET /repos/{owner}/{repo}/languages"],
        listPagesBuilds: ["GET /repos/{owner}/{repo}/pages/builds"],
        listPublic: ["GET /repositories"],
        listPullRequestsAssociatedWithCommit: [
          "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"
        ],
        listReleaseAssets: [
          "GET /repos/{owner}/{repo}/releases/{release_id}/assets"
        ],
        listReleases: ["GET /repos/{owner}/{repo}/releases"],
        listTags: ["GET /repos/{owner}/{repo}/tags"],
        listTeams: ["GET /repos/{owner}/{repo}/teams"],
        listWebhookDeliveries: [
          "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries"
        ],
        listWebhooks: ["GET /repos/{owner}/{repo}/hooks"],
        merge: ["POST /repos/{owner}/{repo}/merges"],
        mergeUpstream: ["POST /repos/{owner}/{repo}/merge-upstream"],
        pingWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/pings"],
        redeliverWebhookDelivery: [
          "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
        ],
        removeAppAccessRestrictions: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
          {},
          { mapToData: "apps" }
        ],
        removeCollaborator: [
          "DELETE /repos/{owner}/{repo}/collaborators/{username}"
        ],
        removeStatusCheckContexts: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
          {},
          { mapToData: "contexts" }
        ],
        removeStatusCheckProtection: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
        ],
        removeTeamAccessRestrictions: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
          {},
          { mapToData: "teams" }
        ],
        removeUserAccessRestrictions: [
          "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
          {},
          { mapToData: "users" }
        ],
        renameBranch: ["POST /repos/{owner}/{repo}/branches/{branch}/rename"],
        replaceAllTopics: ["PUT /repos/{owner}/{repo}/topics"],
        requestPagesBuild: ["POST /repos/{owner}/{repo}/pages/builds"],
        setAdminBranchProtection: [
          "POST /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
        ],
        setAppAccessRestrictions: [
          "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
          {},
          { mapToData: "apps" }
        ],
        setStatusCheckContexts: [
          "PUT /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
          {},
          { mapToData: "contexts" }
        ],
        setTeamAccessRestrictions: [
          "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
          {},
          { mapToData: "teams" }
        ],
        setUserAccessRestrictions: [
          "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
          {},
          { mapToData: "users" }
        ],
        testPushWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/tests"],
        transfer: ["POST /repos/{owner}/{repo}/transfer"],
        update: ["PATCH /repos/{owner}/{repo}"],
        updateBranchProtection: [
          "PUT /repos/{owner}/{repo}/branches/{branch}/protection"
        ],
        updateCommitComment: ["PATCH /repos/{owner}/{repo}/comments/{comment_id}"],
        updateDeploymentBranchPolicy: [
          "PUT /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
        ],
        updateInformationAboutPagesSite: ["PUT /repos/{owner}/{repo}/pages"],
        updateInvitation: [
          "PATCH /repos/{owner}/{repo}/invitations/{invitation_id}"
        ],
        updateOrgRuleset: ["PUT /orgs/{org}/rulesets/{ruleset_id}"],
        updatePullRequestReviewProtection: [
          "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
        ],
        updateRelease: ["PATCH /repos/{owner}/{repo}/releases/{release_id}"],
        updateReleaseAsset: [
          "PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}"
        ],
        updateRepoRuleset: ["PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
        updateStatusCheckPotection: [
          "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
          {},
          { renamed: ["repos", "updateStatusCheckProtection"] }
        ],
        updateStatusCheckProtection: [
          "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
        ],
        updateWebhook: ["PATCH /repos/{owner}/{repo}/hooks/{hook_id}"],
        updateWebhookConfigForRepo: [
          "PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config"
        ],
        uploadReleaseAsset: [
          "POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}",
          { baseUrl: "https://uploads.github.com" }
        ]
      },
      search: {
        code: ["GET /search/code"],
        commits: ["GET /search/commits"],
        issuesAndPullRequests: ["GET /search/issues"],
        labels: ["GET /search/labels"],
        repos: ["GET /search/repositories"],
        topics: ["GET /search/topics"],
        users: ["GET /search/users"]
      },
      secretScanning: {
        createPushProtectionBypass: [
          "POST /repos/{owner}/{repo}/secret-scanning/push-protection-bypasses"
        ],
        getAlert: [
          "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
        ],
        getScanHistory: ["GET /repos/{owner}/{repo}/secret-scanning/scan-history"],
        listAlertsForOrg: ["GET /orgs/{org}/secret-scanning/alerts"],
        listAlertsForRepo: ["GET /repos/{owner}/{repo}/secret-scanning/alerts"],
        listLocationsForAlert: [
          "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations"
        ],
        listOrgPatternConfigs: [
          "GET /orgs/{org}/secret-scanning/pattern-configurations"
        ],
        updateAlert: [
          "PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
        ],
        updateOrgPatternConfigs: [
          "PATCH /orgs/{org}/secret-scanning/pattern-configurations"
        ]
      },
      securityAdvisories: {
        createFork: [
          "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks"
        ],
        createPrivateVulnerabilityReport: [
          "POST /repos/{owner}/{repo}/security-advisories/reports"
        ],
        createRepositoryAdvisory: [
          "POST /repos/{owner}/{repo}/security-advisories"
        ],
        createRepositoryAdvisoryCveRequest: [
          "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve"
        ],
        getGlobalAdvisory: ["GET /advisories/{ghsa_id}"],
        getRepositoryAdvisory: [
          "GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
        ],
        listGlobalAdvisories: ["GET /advisories"],
        listOrgRepositoryAdvisories: ["GET /orgs/{org}/security-advisories"],
        listRepositoryAdvisories: ["GET /repos/{owner}/{repo}/security-advisories"],
        updateRepositoryAdvisory: [
          "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
        ]
      },
      teams: {
        addOrUpdateMembershipForUserInOrg: [
          "PUT /orgs/{org}/teams/{team_slug}/memberships/{username}"
        ],
        addOrUpdateRepoPermissionsInOrg: [
          "PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
        ],
        checkPermissionsForRepoInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
        ],
        create: ["POST /orgs/{org}/teams"],
        createDiscussionCommentInOrg: [
          "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
        ],
        createDiscussionInOrg: ["POST /orgs/{org}/teams/{team_slug}/discussions"],
        deleteDiscussionCommentInOrg: [
          "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
        ],
        deleteDiscussionInOrg: [
          "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
        ],
        deleteInOrg: ["DELETE /orgs/{org}/teams/{team_slug}"],
        getByName: ["GET /orgs/{org}/teams/{team_slug}"],
        getDiscussionCommentInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
        ],
        getDiscussionInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
        ],
        getMembershipForUserInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/memberships/{username}"
        ],
        list: ["GET /orgs/{org}/teams"],
        listChildInOrg: ["GET /orgs/{org}/teams/{team_slug}/teams"],
        listDiscussionCommentsInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
        ],
        listDiscussionsInOrg: ["GET /orgs/{org}/teams/{team_slug}/discussions"],
        listForAuthenticatedUser: ["GET /user/teams"],
        listMembersInOrg: ["GET /orgs/{org}/teams/{team_slug}/members"],
        listPendingInvitationsInOrg: [
          "GET /orgs/{org}/teams/{team_slug}/invitations"
        ],
        listReposInOrg: ["GET /orgs/{org}/teams/{team_slug}/repos"],
        removeMembershipForUserInOrg: [
          "DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}"
        ],
        removeRepoInOrg: [
          "DELETE /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
        ],
        updateDiscussionCommentInOrg: [
          "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
        ],
        updateDiscussionInOrg: [
          "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
        ],
        updateInOrg: ["PATCH /orgs/{org}/teams/{team_slug}"]
      },
      users: {
        addEmailForAuthenticated: [
          "POST /user/emails",
          {},
          { renamed: ["users", "addEmailForAuthenticatedUser"] }
        ],
        addEmailForAuthenticatedUser: ["POST /user/emails"],
        addSocialAccountForAuthenticatedUser: ["POST /user/social_accounts"],
        block: ["PUT /user/blocks/{username}"],
        checkBlocked: ["GET /user/blocks/{username}"],
        checkFollowingForUser: ["GET /users/{username}/following/{target_user}"],
        checkPersonIsFollowedByAuthenticated: ["GET /user/following/{username}"],
        createGpgKeyForAuthenticated: [
          "POST /user/gpg_keys",
          {},
          { renamed: ["users", "createGpgKeyForAuthenticatedUser"] }
        ],
        createGpgKeyForAuthenticatedUser: ["POST /user/gpg_keys"],
        createPublicSshKeyForAuthenticated: [
          "POST /user/keys",
          {},
          { renamed: ["users", "createPublicSshKeyForAuthenticatedUser"] }
        ],
        createPublicSshKeyForAuthenticatedUser: ["POST /user/keys"],
        createSshSigningKeyForAuthenticatedUser: ["POST /user/ssh_signing_keys"],
        deleteAttestationsBulk: [
          "POST /users/{username}/attestations/delete-request"
        ],
        deleteAttestationsById: [
          "DELETE /users/{username}/attestations/{attestation_id}"
        ],
        deleteAttestationsBySubjectDigest: [
          "DELETE /users/{username}/attestations/digest/{subject_digest}"
        ],
        deleteEmailForAuthenticated: [
          "DELETE /user/emails",
          {},
          { renamed: ["users", "deleteEmailForAuthenticatedUser"] }
        ],
        deleteEmailForAuthenticatedUser: ["DELETE /user/emails"],
        deleteGpgKeyForAuthenticated: [
          "DELETE /user/gpg_keys/{gpg_key_id}",
          {},
          { renamed: ["users", "deleteGpgKeyForAuthenticatedUser"] }
        ],
        deleteGpgKeyForAuthenticatedUser: ["DELETE /user/gpg_keys/{gpg_key_id}"],
        deletePublicSshKeyForAuthenticated: [
          "DELETE /user/keys/{key_id}",
          {},
          { renamed: ["users", "deletePublicSshKeyForAuthenticatedUser"] }
        ],
        deletePublicSshKeyForAuthenticatedUser: ["DELETE /user/keys/{key_id}"],
        deleteSocialAccountForAuthenticatedUser: ["DELETE /user/social_accounts"],
        deleteSshSigningKeyForAuthenticatedUser: [
          "DELETE /user/ssh_signing_keys/{ssh_signing_key_id}"
        ],
        follow: ["PUT /user/following/{username}"],
        getAuthenticated: ["GET /user"],
        getById: ["GET /user/{account_id}"],
        getByUsername: ["GET /users/{username}"],
        getContextForUser: ["GET /users/{username}/hovercard"],
        getGpgKeyForAuthenticated: [
          "GET /user/gpg_keys/{gpg_key_id}",
          {},
          { renamed: ["users", "getGpgKeyForAuthenticatedUser"] }
        ],
        getGpgKeyForAuthenticatedUser: ["GET /user/gpg_keys/{gpg_key_id}"],
        getPublicSshKeyForAuthenticated: [
          "GET /user/keys/{key_id}",
          {},
          { renamed: ["users", "getPublicSshKeyForAuthenticatedUser"] }
        ],
        getPublicSshKeyForAuthenticatedUser: ["GET /user/keys/{key_id}"],
        getSshSigningKeyForAuthenticatedUser: [
          "GET /user/ssh_signing_keys/{ssh_signing_key_id}"
        ],
        list: ["GET /users"],
        listAttestations: ["GET /users/{username}/attestations/{subject_digest}"],
        listAttestationsBulk: [
          "POST /users/{username}/attestations/bulk-list{?per_page,before,after}"
        ],
        listBlockedByAuthenticated: [
          "GET /user/blocks",
          {},
          { renamed: ["users", "listBlockedByAuthenticatedUser"] }
        ],
        listBlockedByAuthenticatedUser: ["GET /user/blocks"],
        listEmailsForAuthenticated: [
          "GET /user/emails",
          {},
          { renamed: ["users", "listEmailsForAuthenticatedUser"] }
        ],
        listEmailsForAuthenticatedUser: ["GET /user/emails"],
        listFollowedByAuthenticated: [
          "GET /user/following",
          {},
          { renamed: ["users", "listFollowedByAuthenticatedUser"] }
        ],
        listFollowedByAuthenticatedUser: ["GET /user/following"],
        listFollowersForAuthenticatedUser: ["GET /user/followers"],
        listFollowersForUser: ["GET /users/{username}/followers"],
        listFollowingForUser: ["GET /users/{username}/following"],
        listGpgKeysForAuthenticated: [
          "GET /user/gpg_keys",
          {},
          { renamed: ["users", "listGpgKeysForAuthenticatedUser"] }
        ],
        listGpgKeysForAuthenticatedUser: ["GET /user/gpg_keys"],
        listGpgKeysForUser: ["GET /users/{username}/gpg_keys"],
        listPublicEmailsForAuthenticated: [
          "GET /user/public_emails",
          {},
          { renamed: ["users", "listPublicEmailsForAuthenticatedUser"] }
        ],
        listPublicEmailsForAuthenticatedUser: ["GET /user/public_emails"],
        listPublicKeysForUser: ["GET /users/{username}/keys"],
        listPublicSshKeysForAuthenticated: [
          "GET /user/keys",
          {},
          { renamed: ["users", "listPublicSshKeysForAuthenticatedUser"] }
        ],
        listPublicSshKeysForAuthenticatedUser: ["GET /user/keys"],
        listSocialAccountsForAuthenticatedUser: ["GET /user/social_accounts"],
        listSocialAccountsForUser: ["GET /users/{username}/social_accounts"],
        listSshSigningKeysForAuthenticatedUser: ["GET /user/ssh_signing_keys"],
        listSshSigningKeysForUser: ["GET /users/{username}/ssh_signing_keys"],
        setPrimaryEmailVisibilityForAuthenticated: [
          "PATCH /user/email/visibility",
          {},
          { renamed: ["users", "setPrimaryEmailVisibilityForAuthenticatedUser"] }
        ],
        setPrimaryEmailVisibilityForAuthenticatedUser: [
          "PATCH /user/email/visibility"
        ],
        unblock: ["DELETE /user/blocks/{username}"],
        unfollow: ["DELETE /user/following/{username}"],
        updateAuthenticated: ["PATCH /user"]
      }
    };
    endpoints_default = Endpoints;
  }
});

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/endpoints-to-methods.js
function endpointsToMethods(octokit) {
  const newMethods = {};
  for (const scope of endpointMethodsMap.keys()) {
    newMethods[scope] = new Proxy({ octokit, scope, cache: {} }, handler);
  }
  return newMethods;
}
function decorate(octokit, scope, methodName, defaults3, decorations) {
  const requestWithDefaults = octokit.request.defaults(defaults3);
  function withDecorations(...args) {
    let options = requestWithDefaults.endpoint.merge(...args);
    if (decorations.mapToData) {
      options = Object.assign({}, options, {
        data: options[decorations.mapToData],
        [decorations.mapToData]: void 0
      });
      return requestWithDefaults(options);
    }
    if (decorations.renamed) {
      const [newScope, newMethodName] = decorations.renamed;
      octokit.log.warn(
        `octokit.${scope}.${methodName}() has been renamed to octokit.${newScope}.${newMethodName}()`
      );
    }
    if (decorations.deprecated) {
      octokit.log.warn(decorations.deprecated);
    }
    if (decorations.renamedParameters) {
      const options2 = requestWithDefaults.endpoint.merge(...args);
      for (const [name, alias] of Object.entries(
        decorations.renamedParameters
      )) {
        if (name in options2) {
          octokit.log.warn(
            `"${name}" parameter is deprecated for "octokit.${scope}.${methodName}()". Use "${alias}" instead`
          );
          if (!(alias in options2)) {
            options2[alias] = options2[name];
          }
          delete options2[name];
        }
      }
      return requestWithDefaults(options2);
    }
    return requestWithDefaults(...args);
  }
  return Object.assign(withDecorations, requestWithDefaults);
}
var endpointMethodsMap, handler;
var init_endpoints_to_methods = __esm({
  "node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/endpoints-to-methods.js"() {
    init_endpoints();
    endpointMethodsMap = /* @__PURE__ */ new Map();
    for (const [scope, endpoints] of Object.entries(endpoints_default)) {
      for (const [methodName, endpoint2] of Object.entries(endpoints)) {
        const [route, defaults3, decorations] = endpoint2;
        const [method, url] = route.split(/ /);
        const endpointDefaults = Object.assign(
          {
            method,
            url
          },
          defaults3
        );
        if (!endpointMethodsMap.has(scope)) {
          endpointMethodsMap.set(scope, /* @__PURE__ */ new Map());
        }
        endpointMethodsMap.get(scope).set(methodName, {
          scope,
          methodName,
          endpointDefaults,
          decorations
        });
      }
    }
    handler = {
      has({ scope }, methodName) {
        return endpointMethodsMap.get(scope).has(methodName);
      },
      getOwnPropertyDescriptor(target, methodName) {
        return {
          value: this.get(target, methodName),
          // ensures method is in the cache
          configurable: true,
          writable: true,
          enumerable: true
        };
      },
      defineProperty(target, methodName, descriptor) {
        Object.defineProperty(target.cache, methodName, descriptor);
        return true;
      },
      deleteProperty(target, methodName) {
        delete target.cache[methodName];
        return true;
      },
      ownKeys({ scope }) {
        return [...endpointMethodsMap.get(scope).keys()];
      },
      set(target, methodName, value) {
        return target.cache[methodName] = value;
      },
      get({ octokit, scope, cache }, methodName) {
        if (cache[methodName]) {
          return cache[methodName];
        }
        const method = endpointMethodsMap.get(scope).get(methodName);
        if (!method) {
          return void 0;
        }
        const { endpointDefaults, decorations } = method;
        if (decorations) {
          cache[methodName] = decorate(
            octokit,
            scope,
            methodName,
            endpointDefaults,
            decorations
          );
        } else {
          cache[methodName] = octokit.request.defaults(endpointDefaults);
        }
        return cache[methodName];
      }
    };
  }
});

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/index.js
function restEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    rest: api
  };
}
function legacyRestEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    ...api,
    rest: api
  };
}
var init_dist_src3 = __esm({
  "node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/index.js"() {
    init_version2();
    init_endpoints_to_methods();
    restEndpointMethods.VERSION = VERSION5;
    legacyRestEndpointMethods.VERSION = VERSION5;
  }
});

// node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
function normalizePaginatedListResponse(response) {
  if (!response.data) {
    return {
      ...response,
      data: []
    };
  }
  const responseNeedsNormalization = ("total_count" in response.data || "total_commits" in response.data) && !("url" in response.data);
  if (!responseNeedsNormalization) return response;
  const incompleteResults = response.data.incomplete_results;
  const repositorySelection = response.data.repository_selection;
  const totalCount = response.data.total_count;
  const totalCommits = response.data.total_commits;
  delete response.data.incomplete_results;
  delete response.data.repository_selection;
  delete response.data.total_count;
  delete response.data.total_commits;
  const namespaceKey = Object.keys(response.data)[0];
  const data = response.data[namespaceKey];
  response.data = data;
  if (typeof incompleteResults !== "undefined") {
    response.data.incomplete_results = incompleteResults;
  }
  if (typeof repositorySelection !== "undefined") {
    response.data.repository_selection = repositorySelection;
  }
  response.data.total_count = totalCount;
  response.data.total_commits = totalCommits;
  return response;
}
function iterator(octokit, route, parameters) {
  const options = typeof route === "function" ? route.endpoint(parameters) : octokit.request.endpoint(route, parameters);
  const requestMethod = typeof route === "function" ? route : octokit.request;
  const method = options.method;
  const headers = options.headers;
  let url = options.url;
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (!url) return { done: true };
        try {
          const response = await requestMethod({ method, url, headers });
          const normalizedResponse = normalizePaginatedListResponse(response);
          url = ((normalizedResponse.headers.link || "").match(
            /<([^<>]+)>;\s*rel="next"/
          ) || [])[1];
          if (!url && "total_commits" in normalizedResponse.data) {
            const parsedUrl = new URL(normalizedResponse.url);
            const params = parsedUrl.searchParams;
            const page = parseInt(params.get("page") || "1", 10);
            const per_page = parseInt(params.get("per_page") || "250", 10);
            if (page * per_page < normalizedResponse.data.total_commits) {
              params.set("page", String(page + 1));
              url = parsedUrl.toString();
            }
          }
          return { value: normalizedResponse };
        } catch (error2) {
          if (error2.status !== 409) throw error2;
          url = "";
          return {
            value: {
              status: 200,
              headers: {},
              data: []
            }
          };
        }
      }
    })
  };
}
function paginate(octokit, route, parameters, mapFn) {
  if (typeof parameters === "function") {
    mapFn = parameters;
    parameters = void 0;
  }
  return gather(
    octokit,
    [],
    iterator(octokit, route, parameters)[Symbol.asyncIterator](),
    mapFn
  );
}
function gather(octokit, results, iterator2, mapFn) {
  return iterator2.next().then((result) => {
    if (result.done) {
      return results;
    }
    let earlyExit = false;
    function done() {
      earlyExit = true;
    }
    results = results.concat(
      mapFn ? mapFn(result.value, done) : result.value.data
    );
    if (earlyExit) {
      return results;
    }
    return gather(octokit, results, iterator2, mapFn);
  });
}
function paginateRest(octokit) {
  return {
    paginate: Object.assign(paginate.bind(null, octokit), {
      iterator: iterator.bind(null, octokit)
    })
  };
}
var VERSION6, composePaginateRest;
var init_dist_bundle5 = __esm({
  "node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js"() {
    VERSION6 = "0.0.0-development";
    composePaginateRest = Object.assign(paginate, {
      iterator
    });
    paginateRest.VERSION = VERSION6;
  }
});

// node_modules/@actions/github/lib/utils.js
function getOctokitOptions(token, options) {
  const opts = Object.assign({}, options || {});
  const auth2 = getAuthString(token, opts);
  if (auth2) {
    opts.auth = auth2;
  }
  const userAgent2 = getUserAgentWithOrchestrationId(opts.userAgent);
  if (userAgent2) {
    opts.userAgent = userAgent2;
  }
  return opts;
}
var context, baseUrl, defaults, GitHub;
var init_utils2 = __esm({
  "node_modules/@actions/github/lib/utils.js"() {
    init_context();
    init_utils();
    init_dist_src2();
    init_dist_src3();
    init_dist_bundle5();
    init_utils();
    context = new Context();
    baseUrl = getApiBaseUrl();
    defaults = {
      baseUrl,
      request: {
        agent: getProxyAgent(baseUrl),
        fetch: getProxyFetch(baseUrl)
      }
    };
    GitHub = Octokit.plugin(restEndpointMethods, paginateRest).defaults(defaults);
  }
});

// node_modules/@actions/github/lib/github.js
var github_exports = {};
__export(github_exports, {
  context: () => context2,
  getOctokit: () => getOctokit
});
function getOctokit(token, options, ...additionalPlugins) {
  const GitHubWithPlugins = GitHub.plugin(...additionalPlugins);
  return new GitHubWithPlugins(getOctokitOptions(token, options));
}
var context2;
var init_github = __esm({
  "node_modules/@actions/github/lib/github.js"() {
    init_context();
    init_utils2();
    context2 = new Context();
  }
});

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// node_modules/@actions/core/lib/core.js
var core_exports = {};
__export(core_exports, {
  ExitCode: () => ExitCode,
  addPath: () => addPath,
  debug: () => debug,
  endGroup: () => endGroup,
  error: () => error,
  exportVariable: () => exportVariable,
  getBooleanInput: () => getBooleanInput,
  getIDToken: () => getIDToken,
  getInput: () => getInput,
  getMultilineInput: () => getMultilineInput,
  getState: () => getState,
  group: () => group,
  info: () => info,
  isDebug: () => isDebug,
  markdownSummary: () => markdownSummary,
  notice: () => notice,
  platform: () => platform_exports,
  saveState: () => saveState,
  setCommandEcho: () => setCommandEcho,
  setFailed: () => setFailed,
  setOutput: () => setOutput,
  setSecret: () => setSecret,
  startGroup: () => startGroup,
  summary: () => summary,
  toPlatformPath: () => toPlatformPath,
  toPosixPath: () => toPosixPath,
  toWin32Path: () => toWin32Path,
  warning: () => warning
});

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter3 = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter3)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter3}"`);
  }
  if (convertedValue.includes(delimiter3)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter3}"`);
  }
  return `${key}<<${delimiter3}${os2.EOL}${convertedValue}${os2.EOL}${delimiter3}`;
}

// node_modules/@actions/core/lib/core.js
import * as os5 from "os";
import * as path5 from "path";

// on-demand:@actions/http-client:node_modules/@actions/http-client/lib/index.js
var real2;
var load2 = () => real2 ??= (init_lib(), __toCommonJS(lib_exports));
var HttpClient2 = class {
  constructor(...args) {
    return new (load2()).HttpClient(...args);
  }
};

// node_modules/@actions/http-client/lib/auth.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var BearerCredentialHandler = class {
  constructor(token) {
    this.token = token;
  }
  // currently implements pre-authorization
  // TODO: support preAuth = false where it hooks on 401
  prepareRequest(options) {
    if (!options.headers) {
      throw Error("The request has no headers");
    }
    options.headers["Authorization"] = `Bearer ${this.token}`;
  }
  // This handler cannot handle 401
  canHandleAuthentication() {
    return false;
  }
  handleAuthentication() {
    return __awaiter2(this, void 0, void 0, function* () {
      throw new Error("not implemented");
    });
  }
};

// node_modules/@actions/core/lib/oidc-utils.js
var __awaiter3 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var OidcClient = class _OidcClient {
  static createHttpClient(allowRetry = true, maxRetry = 10) {
    const requestOptions = {
      allowRetries: allowRetry,
      maxRetries: maxRetry
    };
    return new HttpClient2("actions/oidc-client", [new BearerCredentialHandler(_OidcClient.getRequestToken())], requestOptions);
  }
  static getRequestToken() {
    const token = process.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
    if (!token) {
      throw new Error("Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable");
    }
    return token;
  }
  static getIDTokenUrl() {
    const runtimeUrl = process.env["ACTIONS_ID_TOKEN_REQUEST_URL"];
    if (!runtimeUrl) {
      throw new Error("Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable");
    }
    return runtimeUrl;
  }
  static getCall(id_token_url) {
    return __awaiter3(this, void 0, void 0, function* () {
      var _a;
      const httpclient = _OidcClient.createHttpClient();
      const res = yield httpclient.getJson(id_token_url).catch((error2) => {
        throw new Error(`Failed to get ID Token. 
 
        Error Code : ${error2.statusCode}
 
        Error Message: ${error2.message}`);
      });
      const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
      if (!id_token) {
        throw new Error("Response json body do not have ID Token field");
      }
      return id_token;
    });
  }
  static getIDToken(audience) {
    return __awaiter3(this, void 0, void 0, function* () {
      try {
        let id_token_url = _OidcClient.getIDTokenUrl();
        if (audience) {
          const encodedAudience = encodeURIComponent(audience);
          id_token_url = `${id_token_url}&audience=${encodedAudience}`;
        }
        debug(`ID token url is ${id_token_url}`);
        const id_token = yield _OidcClient.getCall(id_token_url);
        setSecret(id_token);
        return id_token;
      } catch (error2) {
        throw new Error(`Error message: ${error2.message}`);
      }
    });
  }
};

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter4 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter4(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter4(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter4(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row2) => {
      const cells = row2.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header: header2, data, colspan, rowspan } = cell;
        const tag = header2 ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var markdownSummary = _summary;
var summary = _summary;

// node_modules/@actions/core/lib/path-utils.js
import * as path from "path";
function toPosixPath(pth) {
  return pth.replace(/[\\]/g, "/");
}
function toWin32Path(pth) {
  return pth.replace(/[/]/g, "\\");
}
function toPlatformPath(pth) {
  return pth.replace(/[/\\]/g, path.sep);
}

// node_modules/@actions/core/lib/platform.js
var platform_exports = {};
__export(platform_exports, {
  arch: () => arch,
  getDetails: () => getDetails,
  isLinux: () => isLinux,
  isMacOS: () => isMacOS,
  isWindows: () => isWindows,
  platform: () => platform
});
import os4 from "os";

// node_modules/@actions/exec/lib/exec.js
import { StringDecoder } from "string_decoder";

// node_modules/@actions/exec/lib/toolrunner.js
import * as os3 from "os";
import * as events from "events";
import * as child from "child_process";
import * as path4 from "path";

// node_modules/@actions/io/lib/io.js
import * as path3 from "path";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
import * as path2 from "path";
var __awaiter5 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;
function exists(fsPath) {
  return __awaiter5(this, void 0, void 0, function* () {
    try {
      yield stat(fsPath);
    } catch (err) {
      if (err.code === "ENOENT") {
        return false;
      }
      throw err;
    }
    return true;
  });
}
function isRooted(p) {
  p = normalizeSeparators(p);
  if (!p) {
    throw new Error('isRooted() parameter "p" cannot be empty');
  }
  if (IS_WINDOWS) {
    return p.startsWith("\\") || /^[A-Z]:/i.test(p);
  }
  return p.startsWith("/");
}
function tryGetExecutablePath(filePath, extensions) {
  return __awaiter5(this, void 0, void 0, function* () {
    let stats = void 0;
    try {
      stats = yield stat(filePath);
    } catch (err) {
      if (err.code !== "ENOENT") {
        console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
      }
    }
    if (stats && stats.isFile()) {
      if (IS_WINDOWS) {
        const upperExt = path2.extname(filePath).toUpperCase();
        if (extensions.some((validExt) => validExt.toUpperCase() === upperExt)) {
          return filePath;
        }
      } else {
        if (isUnixExecutable(stats)) {
          return filePath;
        }
      }
    }
    const originalFilePath = filePath;
    for (const extension of extensions) {
      filePath = originalFilePath + extension;
      stats = void 0;
      try {
        stats = yield stat(filePath);
      } catch (err) {
        if (err.code !== "ENOENT") {
          console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
        }
      }
      if (stats && stats.isFile()) {
        if (IS_WINDOWS) {
          try {
            const directory = path2.dirname(filePath);
            const upperName = path2.basename(filePath).toUpperCase();
            for (const actualName of yield readdir(directory)) {
              if (upperName === actualName.toUpperCase()) {
                filePath = path2.join(directory, actualName);
                break;
              }
            }
          } catch (err) {
            console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
          }
          return filePath;
        } else {
          if (isUnixExecutable(stats)) {
            return filePath;
          }
        }
      }
    }
    return "";
  });
}
function normalizeSeparators(p) {
  p = p || "";
  if (IS_WINDOWS) {
    p = p.replace(/\//g, "\\");
    return p.replace(/\\\\+/g, "\\");
  }
  return p.replace(/\/\/+/g, "/");
}
function isUnixExecutable(stats) {
  return (stats.mode & 1) > 0 || (stats.mode & 8) > 0 && process.getgid !== void 0 && stats.gid === process.getgid() || (stats.mode & 64) > 0 && process.getuid !== void 0 && stats.uid === process.getuid();
}

// node_modules/@actions/io/lib/io.js
var __awaiter6 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function which(tool, check) {
  return __awaiter6(this, void 0, void 0, function* () {
    if (!tool) {
      throw new Error("parameter 'tool' is required");
    }
    if (check) {
      const result = yield which(tool, false);
      if (!result) {
        if (IS_WINDOWS) {
          throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
        } else {
          throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
        }
      }
      return result;
    }
    const matches = yield findInPath(tool);
    if (matches && matches.length > 0) {
      return matches[0];
    }
    return "";
  });
}
function findInPath(tool) {
  return __awaiter6(this, void 0, void 0, function* () {
    if (!tool) {
      throw new Error("parameter 'tool' is required");
    }
    const extensions = [];
    if (IS_WINDOWS && process.env["PATHEXT"]) {
      for (const extension of process.env["PATHEXT"].split(path3.delimiter)) {
        if (extension) {
          extensions.push(extension);
        }
      }
    }
    if (isRooted(tool)) {
      const filePath = yield tryGetExecutablePath(tool, extensions);
      if (filePath) {
        return [filePath];
      }
      return [];
    }
    if (tool.includes(path3.sep)) {
      return [];
    }
    const directories = [];
    if (process.env.PATH) {
      for (const p of process.env.PATH.split(path3.delimiter)) {
        if (p) {
          directories.push(p);
        }
      }
    }
    const matches = [];
    for (const directory of directories) {
      const filePath = yield tryGetExecutablePath(path3.join(directory, tool), extensions);
      if (filePath) {
        matches.push(filePath);
      }
    }
    return matches;
  });
}

// node_modules/@actions/exec/lib/toolrunner.js
import { setTimeout as setTimeout2 } from "timers";
var __awaiter7 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var IS_WINDOWS2 = process.platform === "win32";
var ToolRunner = class extends events.EventEmitter {
  constructor(toolPath, args, options) {
    super();
    if (!toolPath) {
      throw new Error("Parameter 'toolPath' cannot be null or empty.");
    }
    this.toolPath = toolPath;
    this.args = args || [];
    this.options = options || {};
  }
  _debug(message) {
    if (this.options.listeners && this.options.listeners.debug) {
      this.options.listeners.debug(message);
    }
  }
  _getCommandString(options, noPrefix) {
    const toolPath = this._getSpawnFileName();
    const args = this._getSpawnArgs(options);
    let cmd = noPrefix ? "" : "[command]";
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        cmd += toolPath;
        for (const a of args) {
          cmd += ` ${a}`;
        }
      } else if (options.windowsVerbatimArguments) {
        cmd += `"${toolPath}"`;
        for (const a of args) {
          cmd += ` ${a}`;
        }
      } else {
        cmd += this._windowsQuoteCmdArg(toolPath);
        for (const a of args) {
          cmd += ` ${this._windowsQuoteCmdArg(a)}`;
        }
      }
    } else {
      cmd += toolPath;
      for (const a of args) {
        cmd += ` ${a}`;
      }
    }
    return cmd;
  }
  _processLineBuffer(data, strBuffer, onLine) {
    try {
      let s = strBuffer + data.toString();
      let n = s.indexOf(os3.EOL);
      while (n > -1) {
        const line = s.substring(0, n);
        onLine(line);
        s = s.substring(n + os3.EOL.length);
        n = s.indexOf(os3.EOL);
      }
      return s;
    } catch (err) {
      this._debug(`error processing line. Failed with error ${err}`);
      return "";
    }
  }
  _getSpawnFileName() {
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        return process.env["COMSPEC"] || "cmd.exe";
      }
    }
    return this.toolPath;
  }
  _getSpawnArgs(options) {
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
        for (const a of this.args) {
          argline += " ";
          argline += options.windowsVerbatimArguments ? a : this._windowsQuoteCmdArg(a);
        }
        argline += '"';
        return [argline];
      }
    }
    return this.args;
  }
  _endsWith(str, end) {
    return str.endsWith(end);
  }
  _isCmdFile() {
    const upperToolPath = this.toolPath.toUpperCase();
    return this._endsWith(upperToolPath, ".CMD") || this._endsWith(upperToolPath, ".BAT");
  }
  _windowsQuoteCmdArg(arg) {
    if (!this._isCmdFile()) {
      return this._uvQuoteCmdArg(arg);
    }
    if (!arg) {
      return '""';
    }
    const cmdSpecialChars = [
      " ",
      "	",
      "&",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "^",
      "=",
      ";",
      "!",
      "'",
      "+",
      ",",
      "`",
      "~",
      "|",
      "<",
      ">",
      '"'
    ];
    let needsQuotes = false;
    for (const char of arg) {
      if (cmdSpecialChars.some((x) => x === char)) {
        needsQuotes = true;
        break;
      }
    }
    if (!needsQuotes) {
      return arg;
    }
    let reverse = '"';
    let quoteHit = true;
    for (let i = arg.length; i > 0; i--) {
      reverse += arg[i - 1];
      if (quoteHit && arg[i - 1] === "\\") {
        reverse += "\\";
      } else if (arg[i - 1] === '"') {
        quoteHit = true;
        reverse += '"';
      } else {
        quoteHit = false;
      }
    }
    reverse += '"';
    return reverse.split("").reverse().join("");
  }
  _uvQuoteCmdArg(arg) {
    if (!arg) {
      return '""';
    }
    if (!arg.includes(" ") && !arg.includes("	") && !arg.includes('"')) {
      return arg;
    }
    if (!arg.includes('"') && !arg.includes("\\")) {
      return `"${arg}"`;
    }
    let reverse = '"';
    let quoteHit = true;
    for (let i = arg.length; i > 0; i--) {
      reverse += arg[i - 1];
      if (quoteHit && arg[i - 1] === "\\") {
        reverse += "\\";
      } else if (arg[i - 1] === '"') {
        quoteHit = true;
        reverse += "\\";
      } else {
        quoteHit = false;
      }
    }
    reverse += '"';
    return reverse.split("").reverse().join("");
  }
  _cloneExecOptions(options) {
    options = options || {};
    const result = {
      cwd: options.cwd || process.cwd(),
      env: options.env || process.env,
      silent: options.silent || false,
      windowsVerbatimArguments: options.windowsVerbatimArguments || false,
      failOnStdErr: options.failOnStdErr || false,
      ignoreReturnCode: options.ignoreReturnCode || false,
      delay: options.delay || 1e4
    };
    result.outStream = options.outStream || process.stdout;
    result.errStream = options.errStream || process.stderr;
    return result;
  }
  _getSpawnOptions(options, toolPath) {
    options = options || {};
    const result = {};
    result.cwd = options.cwd;
    result.env = options.env;
    result["windowsVerbatimArguments"] = options.windowsVerbatimArguments || this._isCmdFile();
    if (options.windowsVerbatimArguments) {
      result.argv0 = `"${toolPath}"`;
    }
    return result;
  }
  /**
   * Exec a tool.
   * Output will be streamed to the live console.
   * Returns promise with return code
   *
   * @param     tool     path to tool to exec
   * @param     options  optional exec options.  See ExecOptions
   * @returns   number
   */
  exec() {
    return __awaiter7(this, void 0, void 0, function* () {
      if (!isRooted(this.toolPath) && (this.toolPath.includes("/") || IS_WINDOWS2 && this.toolPath.includes("\\"))) {
        this.toolPath = path4.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
      }
      this.toolPath = yield which(this.toolPath, true);
      return new Promise((resolve2, reject) => __awaiter7(this, void 0, void 0, function* () {
        this._debug(`exec tool: ${this.toolPath}`);
        this._debug("arguments:");
        for (const arg of this.args) {
          this._debug(`   ${arg}`);
        }
        const optionsNonNull = this._cloneExecOptions(this.options);
        if (!optionsNonNull.silent && optionsNonNull.outStream) {
          optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + os3.EOL);
        }
        const state = new ExecState(optionsNonNull, this.toolPath);
        state.on("debug", (message) => {
          this._debug(message);
        });
        if (this.options.cwd && !(yield exists(this.options.cwd))) {
          return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
        }
        const fileName2 = this._getSpawnFileName();
        const cp = child.spawn(fileName2, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName2));
        let stdbuffer = "";
        if (cp.stdout) {
          cp.stdout.on("data", (data) => {
            if (this.options.listeners && this.options.listeners.stdout) {
              this.options.listeners.stdout(data);
            }
            if (!optionsNonNull.silent && optionsNonNull.outStream) {
              optionsNonNull.outStream.write(data);
            }
            stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
              if (this.options.listeners && this.options.listeners.stdline) {
                this.options.listeners.stdline(line);
              }
            });
          });
        }
        let errbuffer = "";
        if (cp.stderr) {
          cp.stderr.on("data", (data) => {
            state.processStderr = true;
            if (this.options.listeners && this.options.listeners.stderr) {
              this.options.listeners.stderr(data);
            }
            if (!optionsNonNull.silent && optionsNonNull.errStream && optionsNonNull.outStream) {
              const s = optionsNonNull.failOnStdErr ? optionsNonNull.errStream : optionsNonNull.outStream;
              s.write(data);
            }
            errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
              if (this.options.listeners && this.options.listeners.errline) {
                this.options.listeners.errline(line);
              }
            });
          });
        }
        cp.on("error", (err) => {
          state.processError = err.message;
          state.processExited = true;
          state.processClosed = true;
          state.CheckComplete();
        });
        cp.on("exit", (code) => {
          state.processExitCode = code;
          state.processExited = true;
          this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
          state.CheckComplete();
        });
        cp.on("close", (code) => {
          state.processExitCode = code;
          state.processExited = true;
          state.processClosed = true;
          this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
          state.CheckComplete();
        });
        state.on("done", (error2, exitCode) => {
          if (stdbuffer.length > 0) {
            this.emit("stdline", stdbuffer);
          }
          if (errbuffer.length > 0) {
            this.emit("errline", errbuffer);
          }
          cp.removeAllListeners();
          if (error2) {
            reject(error2);
          } else {
            resolve2(exitCode);
          }
        });
        if (this.options.input) {
          if (!cp.stdin) {
            throw new Error("child process missing stdin");
          }
          cp.stdin.end(this.options.input);
        }
      }));
    });
  }
};
function argStringToArray(argString) {
  const args = [];
  let inQuotes = false;
  let escaped = false;
  let arg = "";
  function append(c) {
    if (escaped && c !== '"') {
      arg += "\\";
    }
    arg += c;
    escaped = false;
  }
  for (let i = 0; i < argString.length; i++) {
    const c = argString.charAt(i);
    if (c === '"') {
      if (!escaped) {
        inQuotes = !inQuotes;
      } else {
        append(c);
      }
      continue;
    }
    if (c === "\\" && escaped) {
      append(c);
      continue;
    }
    if (c === "\\" && inQuotes) {
      escaped = true;
      continue;
    }
    if (c === " " && !inQuotes) {
      if (arg.length > 0) {
        args.push(arg);
        arg = "";
      }
      continue;
    }
    append(c);
  }
  if (arg.length > 0) {
    args.push(arg.trim());
  }
  return args;
}
var ExecState = class _ExecState extends events.EventEmitter {
  constructor(options, toolPath) {
    super();
    this.processClosed = false;
    this.processError = "";
    this.processExitCode = 0;
    this.processExited = false;
    this.processStderr = false;
    this.delay = 1e4;
    this.done = false;
    this.timeout = null;
    if (!toolPath) {
      throw new Error("toolPath must not be empty");
    }
    this.options = options;
    this.toolPath = toolPath;
    if (options.delay) {
      this.delay = options.delay;
    }
  }
  CheckComplete() {
    if (this.done) {
      return;
    }
    if (this.processClosed) {
      this._setResult();
    } else if (this.processExited) {
      this.timeout = setTimeout2(_ExecState.HandleTimeout, this.delay, this);
    }
  }
  _debug(message) {
    this.emit("debug", message);
  }
  _setResult() {
    let error2;
    if (this.processExited) {
      if (this.processError) {
        error2 = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
      } else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
        error2 = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
      } else if (this.processStderr && this.options.failOnStdErr) {
        error2 = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
      }
    }
    if (this.timeout) {
      clearTimeout(this.timeout);
      this.timeout = null;
    }
    this.done = true;
    this.emit("done", error2, this.processExitCode);
  }
  static HandleTimeout(state) {
    if (state.done) {
      return;
    }
    if (!state.processClosed && state.processExited) {
      const message = `The STDIO streams did not close within ${state.delay / 1e3} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
      state._debug(message);
    }
    state._setResult();
  }
};

// node_modules/@actions/exec/lib/exec.js
var __awaiter8 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function exec(commandLine, args, options) {
  return __awaiter8(this, void 0, void 0, function* () {
    const commandArgs = argStringToArray(commandLine);
    if (commandArgs.length === 0) {
      throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
    }
    const toolPath = commandArgs[0];
    args = commandArgs.slice(1).concat(args || []);
    const runner = new ToolRunner(toolPath, args, options);
    return runner.exec();
  });
}
function getExecOutput(commandLine, args, options) {
  return __awaiter8(this, void 0, void 0, function* () {
    var _a, _b;
    let stdout = "";
    let stderr = "";
    const stdoutDecoder = new StringDecoder("utf8");
    const stderrDecoder = new StringDecoder("utf8");
    const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
    const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
    const stdErrListener = (data) => {
      stderr += stderrDecoder.write(data);
      if (originalStdErrListener) {
        originalStdErrListener(data);
      }
    };
    const stdOutListener = (data) => {
      stdout += stdoutDecoder.write(data);
      if (originalStdoutListener) {
        originalStdoutListener(data);
      }
    };
    const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
    const exitCode = yield exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
    stdout += stdoutDecoder.end();
    stderr += stderrDecoder.end();
    return {
      exitCode,
      stdout,
      stderr
    };
  });
}

// node_modules/@actions/core/lib/platform.js
var __awaiter9 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var getWindowsInfo = () => __awaiter9(void 0, void 0, void 0, function* () {
  const { stdout: version } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', void 0, {
    silent: true
  });
  const { stdout: name } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', void 0, {
    silent: true
  });
  return {
    name: name.trim(),
    version: version.trim()
  };
});
var getMacOsInfo = () => __awaiter9(void 0, void 0, void 0, function* () {
  var _a, _b, _c, _d;
  const { stdout } = yield getExecOutput("sw_vers", void 0, {
    silent: true
  });
  const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : "";
  const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : "";
  return {
    name,
    version
  };
});
var getLinuxInfo = () => __awaiter9(void 0, void 0, void 0, function* () {
  const { stdout } = yield getExecOutput("lsb_release", ["-i", "-r", "-s"], {
    silent: true
  });
  const [name, version] = stdout.trim().split("\n");
  return {
    name,
    version
  };
});
var platform = os4.platform();
var arch = os4.arch();
var isWindows = platform === "win32";
var isMacOS = platform === "darwin";
var isLinux = platform === "linux";
function getDetails() {
  return __awaiter9(this, void 0, void 0, function* () {
    return Object.assign(Object.assign({}, yield isWindows ? getWindowsInfo() : isMacOS ? getMacOsInfo() : getLinuxInfo()), {
      platform,
      arch,
      isWindows,
      isMacOS,
      isLinux
    });
  });
}

// node_modules/@actions/core/lib/core.js
var __awaiter10 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function exportVariable(name, val) {
  const convertedVal = toCommandValue(val);
  process.env[name] = convertedVal;
  const filePath = process.env["GITHUB_ENV"] || "";
  if (filePath) {
    return issueFileCommand("ENV", prepareKeyValueMessage(name, val));
  }
  issueCommand("set-env", { name }, convertedVal);
}
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function addPath(inputPath) {
  const filePath = process.env["GITHUB_PATH"] || "";
  if (filePath) {
    issueFileCommand("PATH", inputPath);
  } else {
    issueCommand("add-path", {}, inputPath);
  }
  process.env["PATH"] = `${inputPath}${path5.delimiter}${process.env["PATH"]}`;
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function getMultilineInput(name, options) {
  const inputs = getInput(name, options).split("\n").filter((x) => x !== "");
  if (options && options.trimWhitespace === false) {
    return inputs;
  }
  return inputs.map((input) => input.trim());
}
function getBooleanInput(name, options) {
  const trueValue = ["true", "True", "TRUE"];
  const falseValue = ["false", "False", "FALSE"];
  const val = getInput(name, options);
  if (trueValue.includes(val))
    return true;
  if (falseValue.includes(val))
    return false;
  throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}
Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os5.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setCommandEcho(enabled) {
  issue("echo", enabled ? "on" : "off");
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function isDebug() {
  return process.env["RUNNER_DEBUG"] === "1";
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os5.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter10(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}
function saveState(name, value) {
  const filePath = process.env["GITHUB_STATE"] || "";
  if (filePath) {
    return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
  }
  issueCommand("save-state", { name }, toCommandValue(value));
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}
function getIDToken(aud) {
  return __awaiter10(this, void 0, void 0, function* () {
    return yield OidcClient.getIDToken(aud);
  });
}

// src/action/run.ts
import { readFile } from "node:fs/promises";

// src/apply/result.ts
function applySucceeded(result) {
  return !result.stopped && result.results.every((r) => r.outcome !== "failed" && r.outcome !== "unresolved");
}

// src/config.ts
import path6 from "node:path";

// src/car/platforms.ts
var CAR_PLATFORMS = {
  US1: "https://gateway.qg1.apps.qualys.com",
  US2: "https://gateway.qg2.apps.qualys.com",
  US3: "https://gateway.qg3.apps.qualys.com",
  US4: "https://gateway.qg4.apps.qualys.com",
  EU1: "https://gateway.qg1.apps.qualys.eu",
  EU2: "https://gateway.qg2.apps.qualys.eu",
  EU3: "https://gateway.qg3.apps.qualys.it",
  IN1: "https://gateway.qg1.apps.qualys.in",
  CA1: "https://gateway.qg1.apps.qualys.ca",
  AE1: "https://gateway.qg1.apps.qualys.ae",
  UK1: "https://gateway.qg1.apps.qualys.co.uk",
  AU1: "https://gateway.qg1.apps.qualys.com.au",
  KSA1: "https://gateway.qg1.apps.qualysksa.com"
};
var LOOPBACK_HOSTS = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
function isLoopbackHost(hostname) {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith(".localhost");
}
function normalizeBaseUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not a URL; expected for example https://gateway.qg1.apps.qualys.com`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new Error(`"${value}" must use https:// (plain http:// is accepted only for loopback addresses)`);
  }
  if (url.username || url.password) throw new Error("the base URL must not carry credentials; use the token or username/password options");
  return url.toString().replace(/\/+$/, "");
}

// src/config.ts
var ConfigError = class extends Error {
  constructor(option, problem) {
    super(`${option}: ${problem}`);
    this.option = option;
    this.problem = problem;
    this.name = "ConfigError";
  }
  option;
  problem;
};
function relativeInsideRoot(option, value, root) {
  const absolute = path6.resolve(root, value);
  const relative2 = path6.relative(root, absolute);
  if (relative2 === "" && option === "state-file") throw new ConfigError(option, "must name a file, not the repository root");
  if (relative2.startsWith("..") || path6.isAbsolute(relative2)) {
    throw new ConfigError(option, `"${value}" is outside the repository root ${root}`);
  }
  return relative2.split(path6.sep).join("/");
}
function positiveInteger(option, value, fallback) {
  if (value === void 0 || value.trim() === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new ConfigError(option, `"${value}" is not accepted; expected a whole number of 1 or more`);
  }
  return Number(value);
}
function parseBoolean(option, value) {
  if (value === void 0 || value.trim() === "") return false;
  const normalized = value.trim().toLowerCase();
  if (normalized === "true") return true;
  if (normalized === "false") return false;
  throw new ConfigError(option, `"${value}" is not accepted; expected true or false`);
}
function resolveCar(raw, timeoutMs) {
  const platform2 = raw.platform?.trim();
  const baseUrlOption = raw["base-url"]?.trim();
  if (!platform2 && !baseUrlOption) return void 0;
  let baseUrl2;
  if (baseUrlOption) {
    try {
      baseUrl2 = normalizeBaseUrl(baseUrlOption);
    } catch (err) {
      throw new ConfigError("base-url", err.message);
    }
  } else {
    const gateway = CAR_PLATFORMS[platform2.toUpperCase()];
    if (!gateway) {
      throw new ConfigError("platform", `"${platform2}" is not a Qualys platform; expected one of ${Object.keys(CAR_PLATFORMS).join(", ")}, or set base-url`);
    }
    baseUrl2 = gateway;
  }
  const token = raw.token?.trim() || void 0;
  const username = raw.username?.trim() || void 0;
  const password = raw.password || void 0;
  if (!token && username === void 0 !== (password === void 0)) {
    throw new ConfigError(username ? "password" : "username", "username and password go together");
  }
  return { baseUrl: baseUrl2, token, username, password, timeoutMs };
}
function resolveConfig(raw, cwd) {
  const root = path6.resolve(cwd, raw.root?.trim() || ".");
  const timeoutSeconds = positiveInteger("timeout", raw.timeout, 60);
  return {
    root,
    scriptsDir: relativeInsideRoot("scripts-dir", raw["scripts-dir"]?.trim() || "scripts", root),
    stateFile: relativeInsideRoot("state-file", raw["state-file"]?.trim() || ".car/state.json", root),
    car: resolveCar(raw, timeoutSeconds * 1e3),
    concurrency: positiveInteger("concurrency", raw.concurrency, 2),
    maxWrites: positiveInteger("max-writes", raw["max-writes"], void 0),
    force: parseBoolean("force", raw.force)
  };
}
function requireCar(config) {
  if (!config.car) throw new ConfigError("platform", "apply needs a Qualys platform (US1 ... KSA1) or a base-url");
  if (!config.car.token && !config.car.username) {
    throw new ConfigError("token", "apply needs credentials: a token, or a username and password");
  }
  return config.car;
}

// on-demand:@actions/github:node_modules/@actions/github/lib/github.js
var real4;
var load4 = () => real4 ??= (init_github(), __toCommonJS(github_exports));
var getOctokit2 = (...args) => load4().getOctokit(...args);

// src/github/client.ts
var ACTIONS_BOT_LOGIN = "github-actions[bot]";
function parseRepository(repository) {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository.trim());
  if (!match) throw new Error(`Repository "${repository}" is not of the form "owner/name" (as in GITHUB_REPOSITORY).`);
  return { owner: match[1], repo: match[2] };
}
function createGitHubClient(options) {
  if (options.token.trim() === "") throw new Error("A GitHub token is required; the action passes `github-token` (default: the workflow's GITHUB_TOKEN).");
  const { owner, repo } = parseRepository(options.repository);
  const baseUrl2 = (options.apiUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const octokit = getOctokit2(options.token, {
    baseUrl: baseUrl2,
    // Octokit's default logger writes deprecation notices to the console; the facade stays silent.
    log: { debug: () => {
    }, info: () => {
    }, warn: () => {
    }, error: () => {
    } }
  });
  const token = options.token;
  const redact = (text) => text.split(token).join("***");
  return { owner, repo, octokit, redact };
}

// src/github/errors.ts
var GitHubError = class extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
    this.name = "GitHubError";
  }
  status;
};
function statusOf(err) {
  if (err instanceof GitHubError) return err.status;
  const status = err?.response?.status;
  return typeof status === "number" ? status : 0;
}
function gitHubMessageOf(err) {
  const data = err?.response?.data;
  if (data && typeof data === "object" && typeof data.message === "string") {
    const { message, errors } = data;
    const details = Array.isArray(errors) ? errors.map((e) => e && typeof e === "object" && typeof e.message === "string" ? e.message : JSON.stringify(e)) : [];
    return [message.replace(/\s+/g, " ").trim(), ...details].join(": ");
  }
  return err instanceof Error ? err.message : String(err);
}
function isPermissionDenied(err) {
  return statusOf(err) === 403 && !/rate limit/i.test(gitHubMessageOf(err));
}
function gitHubError(gh, doing, err, hint) {
  const status = statusOf(err);
  const answer = status > 0 ? `GitHub answered ${status}` : "GitHub could not be reached";
  const reason = gitHubMessageOf(err).replace(/[.\s]+$/, "");
  const text = `Could not ${doing} in ${gh.owner}/${gh.repo}: ${answer}: ${reason}.${hint ? ` ${hint}` : ""}`;
  return new GitHubError(gh.redact(text), status);
}

// src/github/failure-issue.ts
var FAILURE_LABEL = "car-sync";
var PERMISSION_HINT = "The workflow needs `permissions: issues: write` for `issue-on-failure`.";
async function openFailureIssues(gh, label, botLogin) {
  try {
    const issues = await gh.octokit.paginate(gh.octokit.rest.issues.listForRepo, {
      owner: gh.owner,
      repo: gh.repo,
      labels: label,
      state: "open",
      creator: botLogin,
      per_page: 100
    });
    return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, html_url: i.html_url }));
  } catch (err) {
    throw gitHubError(gh, `list the open issues labelled "${label}"`, err);
  }
}
async function reportScheduledFailure(gh, report) {
  const label = report.label ?? FAILURE_LABEL;
  const [open2] = await openFailureIssues(gh, label, report.botLogin ?? ACTIONS_BOT_LOGIN);
  try {
    if (open2) {
      const { data: data2 } = await gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: open2.number, body: report.body });
      return { action: "commented", number: open2.number, url: data2.html_url };
    }
    const { data } = await gh.octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: report.title, body: report.body, labels: [label] });
    return { action: "created", number: data.number, url: data.html_url };
  } catch (err) {
    throw gitHubError(gh, open2 ? `comment on issue #${open2.number}` : "open an issue about the failed sync", err, statusOf(err) === 403 ? PERMISSION_HINT : void 0);
  }
}
async function closeScheduledFailure(gh, options) {
  const label = options.label ?? FAILURE_LABEL;
  const open2 = await openFailureIssues(gh, label, options.botLogin ?? ACTIONS_BOT_LOGIN);
  const closed = [];
  for (const issue2 of open2) {
    try {
      await gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: issue2.number, body: options.comment });
      await gh.octokit.rest.issues.update({ owner: gh.owner, repo: gh.repo, issue_number: issue2.number, state: "closed", state_reason: "completed" });
    } catch (err) {
      throw gitHubError(gh, `close issue #${issue2.number}`, err, statusOf(err) === 403 ? PERMISSION_HINT : void 0);
    }
    closed.push(issue2.number);
  }
  return { closed };
}

// src/github/pr-comment.ts
async function upsertPullRequestComment(gh, options) {
  const { issueNumber, marker } = options;
  const botLogin = options.botLogin ?? ACTIONS_BOT_LOGIN;
  const body = options.body.includes(marker) ? options.body : `${marker}
${options.body}`;
  const where = { owner: gh.owner, repo: gh.repo, issue_number: issueNumber };
  let comments;
  try {
    comments = await gh.octokit.paginate(gh.octokit.rest.issues.listComments, { ...where, per_page: 100 });
  } catch (err) {
    if (isPermissionDenied(err)) return { action: "forbidden", message: gh.redact(gitHubMessageOf(err)) };
    throw gitHubError(gh, `read the comments of pull request #${issueNumber}`, err);
  }
  const existing = comments.find((c) => c.user?.login === botLogin && (c.body ?? "").includes(marker));
  try {
    if (!existing) {
      const { data: data2 } = await gh.octokit.rest.issues.createComment({ ...where, body });
      return { action: "created", id: data2.id, url: data2.html_url };
    }
    if (existing.body === body) return { action: "unchanged", id: existing.id, url: existing.html_url };
    const { data } = await gh.octokit.rest.issues.updateComment({ owner: gh.owner, repo: gh.repo, comment_id: existing.id, body });
    return { action: "updated", id: data.id, url: data.html_url };
  } catch (err) {
    if (isPermissionDenied(err)) return { action: "forbidden", message: gh.redact(gitHubMessageOf(err)) };
    throw gitHubError(gh, `${existing ? "update" : "write"} the car-sync comment on pull request #${issueNumber}`, err);
  }
}

// src/plan/state.ts
import { promises as fs3 } from "node:fs";
import path7 from "node:path";

// separate-file:yaml
var real5;
var load5 = () => real5 ??= __require("./yaml.cjs");
var parseDocument = (...args) => load5().parseDocument(...args);
var isAlias = (...args) => load5().isAlias(...args);
var isMap = (...args) => load5().isMap(...args);
var isScalar = (...args) => load5().isScalar(...args);
var isSeq = (...args) => load5().isSeq(...args);
var LineCounter = class {
  constructor(...args) {
    return new (load5()).LineCounter(...args);
  }
};

// src/repo/problem.ts
function formatProblem(p) {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}
function compareProblems(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
var InvalidRepositoryError = class extends Error {
  constructor(problems) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
    this.name = "InvalidRepositoryError";
  }
  problems;
};

// src/plan/state.ts
function emptyState() {
  return { version: 1, scripts: {} };
}
var ENTRY_FIELDS = {
  id: (v) => Number.isSafeInteger(v) && v > 0 ? void 0 : "a positive integer",
  hash: (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v) ? void 0 : "a sha256 hex string",
  title: (v) => typeof v === "string" ? void 0 : "a string",
  intent: (v) => typeof v === "string" ? void 0 : "an ISO 8601 time string"
};
function isPathInsideRepository(key) {
  if (key === "" || key.includes("\\") || key.includes("\0")) return false;
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) return false;
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
function positionOf(lineCounter, offset) {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
var PLAIN_PATH = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;
function isPlainObject3(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function wellFormedState(raw) {
  if (!isPlainObject3(raw) || raw.version !== 1 || !isPlainObject3(raw.scripts)) return void 0;
  if (Object.keys(raw).some((key) => key !== "version" && key !== "scripts")) return void 0;
  const scripts = {};
  for (const [key, entry] of Object.entries(raw.scripts)) {
    if (!(PLAIN_PATH.test(key) || isPathInsideRepository(key)) || !isPlainObject3(entry)) return void 0;
    for (const [field, value] of Object.entries(entry)) {
      const check = ENTRY_FIELDS[field];
      if (!check || check(value) !== void 0) return void 0;
    }
    scripts[key] = entry;
  }
  return { version: 1, scripts };
}
function parseState(text, file) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = err.message;
    const at2 = /position (\d+)/.exec(message);
    const lineCounter2 = new LineCounter();
    lineCounter2.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter2.addNewLine(i + 1);
    const { line, column } = positionOf(lineCounter2, at2 ? Number(at2[1]) : text.length);
    throw new InvalidRepositoryError([{ file, line, column, message: `state file is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, "")}); a corrupt state file is never read as empty, fix it or restore it from git` }]);
  }
  const wellFormed = wellFormedState(raw);
  if (wellFormed) return wellFormed;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const problems = [];
  const at = (node, message) => {
    const { line, column } = positionOf(lineCounter, node?.range?.[0] ?? 0);
    problems.push({ file, line, column, message });
  };
  const root = doc.contents;
  if (!isMap(root) || raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    at(root, 'state file must be a JSON object { "version": 1, "scripts": { ... } }');
    throw new InvalidRepositoryError(problems);
  }
  const rawRoot = raw;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key !== "version" && key !== "scripts") at(pair.key, `unknown key "${key}" in state file; expected "version" and "scripts"`);
  }
  if (rawRoot.version !== 1) at(root.get("version", true) ?? root, 'state file "version" must be 1');
  const scriptsNode = root.get("scripts", true);
  const scripts = {};
  if (!isMap(scriptsNode)) {
    at(scriptsNode ?? root, 'state file "scripts" must be an object mapping script paths to entries');
  } else {
    for (const pair of scriptsNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const keyNode = pair.key;
      if (!isPathInsideRepository(key)) {
        at(keyNode, `state file path "${key}" is outside the repository; expected a relative path like "scripts/linux/x/script.sh"`);
        continue;
      }
      const entryNode = pair.value;
      if (!isMap(entryNode)) {
        at(entryNode ?? keyNode, `state entry for "${key}" must be an object like { "id": 100504 }`);
        continue;
      }
      const entry = rawRoot.scripts[key];
      for (const fieldPair of entryNode.items) {
        const field = isScalar(fieldPair.key) ? String(fieldPair.key.value) : "";
        const check = ENTRY_FIELDS[field];
        if (!check) {
          at(fieldPair.key, `unknown field "${field}" in state entry for "${key}"; expected id, hash, title or intent`);
          continue;
        }
        const expected = check(entry[field]);
        if (expected) at(fieldPair.value, `state entry "${key}": "${field}" must be ${expected}`);
      }
      scripts[key] = entry;
    }
  }
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  return { version: 1, scripts };
}
async function readStateFile(absolutePath, displayPath) {
  let text;
  try {
    text = await fs3.readFile(absolutePath, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return emptyState();
    throw err;
  }
  return parseState(text, displayPath);
}
var ENTRY_ORDER = ["id", "hash", "title", "intent"];
function serializeState(state) {
  const scripts = {};
  for (const key of Object.keys(state.scripts).sort()) {
    const entry = state.scripts[key];
    const ordered = {};
    for (const field of ENTRY_ORDER) if (entry[field] !== void 0) ordered[field] = entry[field];
    scripts[key] = ordered;
  }
  return `${JSON.stringify({ version: 1, scripts }, null, 2)}
`;
}
async function writeStateFile(absolutePath, state) {
  await fs3.mkdir(path7.dirname(absolutePath), { recursive: true });
  const temporary = `${absolutePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs3.open(temporary, "w");
  try {
    await handle.writeFile(serializeState(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs3.rename(temporary, absolutePath);
  } catch (err) {
    await fs3.rm(temporary, { force: true });
    throw err;
  }
}

// src/plan/plan.ts
var PLAN_ACTION_KINDS = [
  "create",
  "update",
  "rename",
  "unchanged",
  "orphan",
  "unresolved"
];

// src/plan/planner.ts
function byPath(a, b) {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
function countActions(actions) {
  const counts = Object.fromEntries(PLAN_ACTION_KINDS.map((kind) => [kind, 0]));
  for (const { action } of actions) counts[action] += 1;
  return counts;
}
function planSync(scripts, state, options = {}) {
  const actions = [];
  const creates = [];
  const present = /* @__PURE__ */ new Set();
  for (const script of scripts) {
    present.add(script.path);
    const entry = state.scripts[script.path];
    const title = script.meta.title;
    if (!entry) {
      creates.push(script);
    } else if (entry.id === void 0) {
      actions.push({ action: "unresolved", path: script.path, title, script });
    } else if (entry.hash !== script.hash || options.force) {
      actions.push({ action: "update", path: script.path, title, id: entry.id, script });
    } else {
      actions.push({ action: "unchanged", path: script.path, title, id: entry.id, script });
    }
  }
  const goneByHash = /* @__PURE__ */ new Map();
  const gone = [];
  for (const path13 of Object.keys(state.scripts).sort()) {
    if (present.has(path13)) continue;
    const entry = state.scripts[path13];
    if (entry.id === void 0) {
      actions.push({ action: "unresolved", path: path13, title: entry.title });
      continue;
    }
    gone.push(path13);
    if (entry.hash) goneByHash.set(entry.hash, [...goneByHash.get(entry.hash) ?? [], path13]);
  }
  const renamed = /* @__PURE__ */ new Set();
  for (const script of creates) {
    const from = goneByHash.get(script.hash)?.find((path13) => !renamed.has(path13));
    if (from === void 0) {
      actions.push({ action: "create", path: script.path, title: script.meta.title, script });
      continue;
    }
    renamed.add(from);
    actions.push({ action: "rename", path: script.path, title: script.meta.title, id: state.scripts[from].id, from, script });
  }
  for (const path13 of gone) {
    if (renamed.has(path13)) continue;
    const entry = state.scripts[path13];
    actions.push({ action: "orphan", path: path13, title: entry.title, id: entry.id });
  }
  actions.sort(byPath);
  return { actions, counts: countActions(actions) };
}

// src/report/json.ts
function planJson(plan, applied, warnings = []) {
  const rows = applied?.results ?? plan.actions;
  const actions = rows.map((row2) => {
    const out = { action: row2.action, path: row2.path };
    if (row2.title !== void 0) out.title = row2.title;
    if (row2.id !== void 0) out.id = row2.id;
    if (row2.from !== void 0) out.from = row2.from;
    if ("outcome" in row2) {
      out.result = row2.outcome;
      if (row2.message !== void 0) out.message = row2.message;
    }
    return out;
  });
  const json = { actions, counts: countActions(actions) };
  if (applied) {
    json.outcomes = {};
    for (const r of applied.results) json.outcomes[r.outcome] = (json.outcomes[r.outcome] ?? 0) + 1;
  }
  if (warnings.length > 0) json.warnings = warnings.map(formatProblem);
  return json;
}

// src/report/text.ts
function table(header2, rows) {
  const widths = header2.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header2), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
function countsLine(counts) {
  return PLAN_ACTION_KINDS.filter((kind) => counts[kind]).map((kind) => `${counts[kind]} ${kind}`).join(", ") || "no scripts";
}
function renderText(plan, applied) {
  const json = planJson(plan, applied);
  const header2 = ["ACTION", "PATH", "ID", "TITLE"];
  if (applied) header2.push("RESULT");
  const rows = json.actions.map((a) => {
    const path13 = a.from ? `${a.from} -> ${a.path}` : a.path;
    const row2 = [a.action, path13, a.id === void 0 ? "-" : String(a.id), a.title ?? ""];
    if (applied) row2.push(a.result === "done" ? "ok" : `${a.result}${a.message ? `: ${a.message}` : ""}`);
    return row2;
  });
  const lines = [rows.length > 0 ? table(header2, rows) : "No scripts found.", "", `Plan: ${countsLine(json.counts)}.`];
  if (applied && json.outcomes) {
    lines.push(`Result: ${Object.entries(json.outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}; ${applied.writeCalls} write calls.`);
  }
  return lines.join("\n");
}

// src/report/markdown.ts
function escapeHtml(text) {
  return text.replace(/[&<>"'|`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
var RESULT_LABEL = { done: "\u2705 ok", failed: "\u274C failed", unresolved: "\u26A0\uFE0F unresolved", skipped: "\u23ED\uFE0F skipped" };
function row(a, withResult) {
  const path13 = a.from ? `${escapeHtml(a.from)} \u2192 ${escapeHtml(a.path)}` : escapeHtml(a.path);
  const cells = [path13, escapeHtml(a.title ?? ""), a.action, a.id === void 0 ? "" : String(a.id)];
  if (withResult) cells.push(`${RESULT_LABEL[a.result ?? ""] ?? ""}${a.message ? ` ${escapeHtml(a.message)}` : ""}`);
  return `| ${cells.join(" | ")} |`;
}
function scriptsTable(plan, applied) {
  const json = planJson(plan, applied);
  const header2 = applied ? "| Path | Title | Action | Id | Result |\n|---|---|---|---|---|" : "| Path | Title | Action | Id |\n|---|---|---|---|";
  return [header2, ...json.actions.map((a) => row(a, applied !== void 0))];
}
function problemList(title, problems) {
  if (problems.length === 0) return [];
  return [`### ${title} (${problems.length})`, "", ...problems.map((p) => `- \`${escapeHtml(formatProblem(p)).replace(/`/g, "")}\``), ""];
}
function renderMarkdown(report) {
  const lines = [`## ${report.heading}`, ""];
  if (report.plan) {
    lines.push(`**Plan:** ${countsLine(report.plan.counts)}.`);
    if (report.applied) {
      const outcomes = planJson(report.plan, report.applied).outcomes ?? {};
      lines.push("", `**Result:** ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}; ${report.applied.writeCalls} write calls to CAR.`);
    }
    lines.push("");
  }
  for (const note of report.notes ?? []) lines.push(note, "");
  if (!report.withoutTable && report.plan && report.plan.actions.length > 0) lines.push(...scriptsTable(report.plan, report.applied), "");
  lines.push(...problemList("Errors", report.problems ?? []));
  lines.push(...problemList("Warnings", report.warnings ?? []));
  return lines.join("\n");
}

// src/report/comment.ts
var COMMENT_LIMIT = 65536;
function commentMarker(stateFile) {
  return `<!-- car-sync:plan ${escapeHtml(stateFile).replace(/--/g, "&#45;&#45;")} -->`;
}
function renderComment(report, stateFile, summaryUrl, limit = COMMENT_LIMIT) {
  const marker = commentMarker(stateFile);
  const pointer = summaryUrl ? `[the job summary](${summaryUrl})` : "the job summary of this run";
  const head = `${marker}
${renderMarkdown({ ...report, withoutTable: true }).trimEnd()}
`;
  const rows = report.plan ? scriptsTable(report.plan, report.applied) : [];
  const withTable = rows.length > 1 ? `${head}
<details><summary>All ${rows.length - 1} scripts</summary>

${rows.join("\n")}

</details>
` : head;
  if (withTable.length <= limit) return withTable;
  const withoutTable = `${head}
The list of scripts is too long for a comment; see ${pointer}.
`;
  if (withoutTable.length <= limit) return withoutTable;
  const cut = `

\u2026 cut to fit GitHub's comment limit; the full report is in ${pointer}.
`;
  return withoutTable.slice(0, limit - cut.length) + cut;
}

// src/report/failure-issue.ts
function failureIssueTitle(stateFile) {
  return `car-sync: sync of ${stateFile} failed`;
}
function failureIssueBody(report) {
  const where = report.runUrl ? ` in [this run](${report.runUrl})` : "";
  const bad = report.results.filter((r) => r.outcome === "failed" || r.outcome === "unresolved");
  const lines = [`car-sync could not sync \`${escapeHtml(report.stateFile)}\`${where}.`, ""];
  if (report.commitError) lines.push(`The state file could not be committed: ${escapeHtml(report.commitError)}`, "");
  for (const r of bad) lines.push(`- **${r.outcome}** \`${escapeHtml(r.path)}\`${r.message ? `: ${escapeHtml(r.message)}` : ""}`);
  if (bad.some((r) => r.outcome === "unresolved")) {
    lines.push("", "Unresolved creates may exist in CAR: check, then record each with `car-sync adopt PATH ID` or drop it with `car-sync forget PATH`.");
  }
  lines.push("", "This issue is closed by the next run that succeeds.");
  return lines.join("\n");
}

// src/sync.ts
import path12 from "node:path";

// src/car/payload.ts
import { createHash } from "node:crypto";
var b64 = (text) => Buffer.from(text, "utf8").toString("base64");
function carScriptBody(meta2, content) {
  const params = meta2.parameters ? Object.entries(meta2.parameters) : [];
  const body = {
    title: meta2.title,
    content: content.toString("base64"),
    description: meta2.description,
    platform: meta2.platform,
    severity: meta2.severity === void 0 ? void 0 : String(meta2.severity),
    threshold: meta2.threshold,
    thresholdTimeUnit: meta2.thresholdTimeUnit,
    typeId: meta2.typeId,
    languageId: meta2.languageId,
    categoryId: meta2.categoryId,
    scriptApprovalUserConsent: meta2.scriptApprovalUserConsent,
    hasParameters: params.length > 0,
    params: params.length > 0 ? params.map(([key, value]) => ({ key: b64(key), value: b64(value) })) : void 0,
    autorScriptsMetadata: meta2.autorScriptsMetadata
  };
  for (const key of Object.keys(body)) {
    if (body[key] === void 0) delete body[key];
  }
  return body;
}
function canonicalJson(value) {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text2 = "[";
    for (let i = 0; i < value.length; i++) text2 += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${text2}]`;
  }
  const object = value;
  let text = "";
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== void 0) text += `${text === "" ? "" : ","}${quotedKey(key)}:${canonicalJson(object[key])}`;
  }
  return `{${text}}`;
}
var QUOTED_KEYS = /* @__PURE__ */ new Map();
function quotedKey(key) {
  let quoted2 = QUOTED_KEYS.get(key);
  if (quoted2 === void 0) QUOTED_KEYS.set(key, quoted2 = JSON.stringify(key));
  return quoted2;
}
var NO_CONTENT = Buffer.alloc(0);
function scriptHash(meta2, content) {
  const fields = carScriptBody(meta2, NO_CONTENT);
  fields.content = void 0;
  return createHash("sha256").update(canonicalJson(fields)).update("\0").update(content).digest("hex");
}
function carUpdateBody(script, comment) {
  return { ...carScriptBody(script.meta, script.content), comment };
}

// src/car/errors.ts
var CarError = class extends Error {
  constructor(kind, message, status, options = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.name = "CarError";
    this.notSent = options.notSent ?? false;
  }
  kind;
  status;
  /** See `CarErrorOptions.notSent`. */
  notSent;
  /** True when CAR cannot have acted on the request, so a create may be sent again. */
  get provesNotProcessed() {
    return this.notSent || this.kind === "rejected" || this.kind === "auth" || this.kind === "rate-limited" || this.kind === "not-found" || this.kind === "forbidden";
  }
};

// src/apply/apply.ts
var UNRESOLVED_HINT = (path13) => `the outcome of an earlier create is unknown; check CAR, then run "car-sync adopt ${path13} ID" if it exists or "car-sync forget ${path13}" if not`;
var SCOPE_HINT = "CAR does not show this script to the API user: it may have been deleted, or it lies outside the user's tag scope (tag-based user scoping); it was not created again";
function describe(err) {
  return err instanceof Error ? err.message : String(err);
}
async function applyPlan(plan, options) {
  const { client, journal, log = () => {
  } } = options;
  const results = /* @__PURE__ */ new Map();
  const graceful = new AbortController();
  let writeCalls = 0;
  let graceTimer;
  const onStop = () => {
    log("stopping: no new calls; waiting for the calls in flight");
    graceTimer = setTimeout(() => graceful.abort(), options.graceMs ?? 1e4);
    graceTimer.unref?.();
  };
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener("abort", onStop, { once: true });
  const result = (action, outcome, extra = {}) => results.set(action, { action: action.action, path: action.path, title: action.title, id: action.id, from: action.from, outcome, ...extra });
  const writes = [];
  for (const action of plan.actions) {
    switch (action.action) {
      case "unchanged":
      case "orphan":
        result(action, "done");
        break;
      case "unresolved":
        result(action, "unresolved", { message: UNRESOLVED_HINT(action.path) });
        break;
      case "rename":
        await journal.move(action.from, action.path);
        result(action, "done");
        break;
      case "create":
      case "update":
        writes.push(action);
        break;
    }
  }
  const create = async (action) => {
    const script = action.script;
    try {
      await journal.set(action.path, { hash: script.hash, title: script.meta.title, intent: (/* @__PURE__ */ new Date()).toISOString() });
    } catch (err) {
      result(action, "failed", { message: `not created: the intent could not be written to the state file: ${describe(err)}` });
      return;
    }
    let id;
    try {
      id = await client.createScript(carScriptBody(script.meta, script.content), graceful.signal);
    } catch (err) {
      if (err instanceof CarError && err.provesNotProcessed) {
        await journal.remove(action.path).catch(() => {
        });
        result(action, "failed", { message: describe(err) });
      } else {
        result(action, "unresolved", { message: `${describe(err)}; ${UNRESOLVED_HINT(action.path)}` });
      }
      return;
    }
    try {
      await journal.set(action.path, { id, hash: script.hash, title: script.meta.title });
      log(`created ${action.path} as ${id}`);
      result(action, "done", { id });
    } catch (err) {
      result(action, "unresolved", {
        id,
        message: `created as ${id}, but the state file could not be written (${describe(err)}); run "car-sync adopt ${action.path} ${id}"`
      });
    }
  };
  const update = async (action) => {
    const script = action.script;
    const comment = options.updateComment?.(action) ?? `car-sync: ${action.path} changed`;
    try {
      await client.updateScript(action.id, carUpdateBody(script, comment), graceful.signal);
      await journal.set(action.path, { id: action.id, hash: script.hash, title: script.meta.title });
      log(`updated ${action.path} (${action.id})`);
      result(action, "done");
    } catch (err) {
      const scoped = err instanceof CarError && (err.kind === "not-found" || err.kind === "forbidden");
      result(action, "failed", { message: scoped ? `${describe(err)}; ${SCOPE_HINT}` : describe(err) });
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const action = writes[next++];
      if (options.stop?.aborted) {
        result(action, "skipped", { message: "the run was stopped before this call" });
        continue;
      }
      if (options.maxWrites !== void 0 && writeCalls >= options.maxWrites) {
        result(action, "skipped", { message: `left for the next run: max-writes ${options.maxWrites} reached` });
        continue;
      }
      writeCalls += 1;
      await (action.action === "create" ? create(action) : update(action));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, writes.length)) }, worker));
  } finally {
    clearTimeout(graceTimer);
    options.stop?.removeEventListener("abort", onStop);
  }
  return {
    results: plan.actions.map((action) => results.get(action)),
    writeCalls,
    stopped: options.stop?.aborted ?? false
  };
}

// src/apply/journal.ts
var StateJournal = class {
  constructor(initial, persist) {
    this.persist = persist;
    this.state = { version: 1, scripts: { ...initial.scripts } };
  }
  persist;
  state;
  writing;
  pending = [];
  current() {
    return { version: 1, scripts: { ...this.state.scripts } };
  }
  set(path13, entry) {
    this.state.scripts[path13] = entry;
    return this.save();
  }
  remove(path13) {
    delete this.state.scripts[path13];
    return this.save();
  }
  move(from, to) {
    const entry = this.state.scripts[from];
    if (entry) {
      delete this.state.scripts[from];
      this.state.scripts[to] = entry;
    }
    return this.save();
  }
  save() {
    const done = new Promise((resolve2, reject) => this.pending.push({ resolve: resolve2, reject }));
    if (!this.writing) this.writing = this.drain();
    return done;
  }
  async drain() {
    while (this.pending.length > 0) {
      const waiting = this.pending;
      this.pending = [];
      try {
        await this.persist(this.current());
        for (const w of waiting) w.resolve();
      } catch (err) {
        for (const w of waiting) w.reject(err);
      }
    }
    this.writing = void 0;
  }
};

// src/car/proxy.ts
import { isIP } from "node:net";
function envValue(env, ...names) {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return void 0;
}
function ipv4ToNumber(address) {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}
function inIpv4Cidr(host, cidr) {
  const [network, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (!network || isIP(network) !== 4 || isIP(host) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4ToNumber(host) / size) === Math.floor(ipv4ToNumber(network) / size);
}
function bypassedBy(entry, host, port) {
  if (entry === "*") return true;
  if (entry.includes("/")) return inIpv4Cidr(host, entry);
  let name = entry;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (bracketed) {
    name = bracketed[1];
    if (bracketed[2] && bracketed[2] !== port) return false;
  } else if (withPort) {
    name = withPort[1];
    if (withPort[2] !== port) return false;
  }
  name = name.replace(/^\*?\./, "").toLowerCase();
  if (!name) return false;
  return host === name || host.endsWith(`.${name}`);
}
function proxyFor(url, env) {
  const target = typeof url === "string" ? new URL(url) : url;
  const host = target.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (isLoopbackHost(host)) return void 0;
  const proxy = target.protocol === "https:" ? envValue(env, "https_proxy", "HTTPS_PROXY") : target.protocol === "http:" ? envValue(env, "http_proxy", "HTTP_PROXY") : void 0;
  if (!proxy) return void 0;
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const noProxy = envValue(env, "no_proxy", "NO_PROXY") ?? "";
  for (const entry of noProxy.split(/[,\s]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return void 0;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
function describeProxy(proxy) {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "the configured proxy";
  }
}

// src/car/http.ts
var TransportError = class extends Error {
  constructor(reason, message, notSent) {
    super(message);
    this.reason = reason;
    this.notSent = notSent;
    this.name = "TransportError";
  }
  reason;
  notSent;
};
var NOT_CONNECTED_CODES = /* @__PURE__ */ new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
function errorCode(err) {
  const e = err;
  const code = e?.code ?? e?.errors?.[0]?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : void 0;
}
function describeNetworkError(err) {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message || code || "unknown error";
}
var CarTransport = class {
  constructor(baseUrl2, timeoutMs, env) {
    this.timeoutMs = timeoutMs;
    const url = new URL(baseUrl2);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    const options = {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 3e4) }
    };
    const proxy = proxyFor(url, env);
    this.createDispatcher = async () => {
      const { Agent: Agent4, ProxyAgent: ProxyAgent2 } = await Promise.resolve().then(() => (init_undici(), undici_exports));
      return proxy ? new ProxyAgent2({ ...options, uri: proxy }) : new Agent4(options);
    };
    this.route = proxy ? ` via ${describeProxy(proxy)}` : "";
  }
  timeoutMs;
  /** Loaded on the first call: a plan, or an apply with nothing to change, never pays undici's ~50 ms load. */
  dispatcher;
  createDispatcher;
  origin;
  basePath;
  /** For messages: "via http://proxy:3128", never the proxy's credentials. */
  route;
  async send(call) {
    if (call.signal?.aborted) throw new TransportError("aborted", "cancelled before it was sent", true);
    let dispatcher;
    try {
      dispatcher = await (this.dispatcher ??= this.createDispatcher());
    } catch (err) {
      this.dispatcher = void 0;
      throw new TransportError("network", describeNetworkError(err), true);
    }
    if (call.signal?.aborted) throw new TransportError("aborted", "cancelled before it was sent", true);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    call.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await dispatcher.request({
        origin: this.origin,
        path: this.basePath + call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: controller.signal
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (err) {
      const code = errorCode(err);
      if (timedOut || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
        throw new TransportError("timeout", `no answer within ${Math.round(this.timeoutMs / 1e3)} s`, false);
      }
      if (call.signal?.aborted) throw new TransportError("aborted", "cancelled while in flight", false);
      const tunnelRefused = code === "UND_ERR_ABORTED" && /Tunneling/i.test(err.message);
      const notSent = tunnelRefused || code !== void 0 && NOT_CONNECTED_CODES.has(code);
      throw new TransportError("network", describeNetworkError(err), notSent);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onAbort);
    }
  }
  async close() {
    const dispatcher = await this.dispatcher?.catch(() => void 0);
    await dispatcher?.close();
  }
};

// src/car/response.ts
var MESSAGE_LIMIT = 500;
function parseJsonObject(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}
function carMessage(text) {
  const message = parseJsonObject(text)?.message;
  if (typeof message === "string" && message.trim()) return message.trim();
  const body = text.trim();
  if (!body) return "(empty answer)";
  return body.length > MESSAGE_LIMIT ? `${body.slice(0, MESSAGE_LIMIT)}...` : body;
}
function envelopeError(json) {
  const code = json?.errorCode;
  if (code === void 0 || code === null || code === 0 || code === "") return void 0;
  if (typeof code === "string" && /^\s*0?\s*$/.test(code)) return void 0;
  const message = typeof json?.message === "string" && json.message.trim() ? json.message.trim() : "no message";
  return `${message} (errorCode ${typeof code === "string" || typeof code === "number" ? code : JSON.stringify(code)})`;
}
function asId(value) {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 0 ? id : void 0;
  }
  return void 0;
}
function createdId(json) {
  const body = json?.body;
  const nested = body && typeof body === "object" ? asId(body.id) : void 0;
  return nested ?? asId(json?.id);
}

// src/car/wait.ts
import { setTimeout as delay } from "node:timers/promises";
var cancelled = () => new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
var realSleep = async (ms, signal) => {
  try {
    await delay(ms, void 0, { signal });
  } catch (err) {
    if (signal?.aborted) throw cancelled();
    throw err;
  }
};
function untilAborted(shared, signal) {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve2, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve2(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      }
    );
  });
}
function backoffMs(retry, random) {
  return 500 * 2 ** (retry - 1) * (0.5 + random());
}

// src/car/auth.ts
var TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1e3;
var RENEW_EARLY_MS = 5 * 60 * 1e3;
var AUTH_ATTEMPTS = 3;
function jwtExpiresAt(token) {
  const payload = token.split(".")[1];
  if (!payload) return void 0;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = claims?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1e3 : void 0;
  } catch {
    return void 0;
  }
}
function authForm(username, password) {
  return new URLSearchParams({ username, password, token: "true" }).toString();
}
function bearerValue(token) {
  return token.replace(/^\s*bearer\s+/i, "").trim();
}
async function requestToken(exchange) {
  const { transport } = exchange;
  for (let attempt = 1; ; attempt++) {
    let failure;
    try {
      exchange.onRequest();
      const answer = await transport.send({
        method: "POST",
        path: "/auth",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "*/*" },
        body: authForm(exchange.username, exchange.password)
      });
      const token = answer.text.trim();
      if (answer.status >= 200 && answer.status < 300 && token && !/\s/.test(token)) return token;
      if (answer.status === 401) throw new CarError("auth", "CAR refused the username/password at /auth (HTTP 401)", 401);
      if (answer.status < 500) {
        throw new CarError("auth", `CAR's /auth answered HTTP ${answer.status} instead of a token: ${carMessage(answer.text)}`, answer.status);
      }
      failure = `HTTP ${answer.status}: ${carMessage(answer.text)}`;
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      failure = `${err.message}${transport.route}`;
    }
    if (attempt >= AUTH_ATTEMPTS) {
      throw new CarError("auth", `could not get a token from CAR's /auth after ${attempt} attempts (${failure})`, void 0, { notSent: true });
    }
    const wait = backoffMs(attempt, exchange.random);
    exchange.log(`CAR /auth failed (${failure}); trying again in ${(wait / 1e3).toFixed(1)} s`);
    await exchange.sleep(wait);
  }
}
var TokenSource = class {
  constructor(options) {
    this.options = options;
    if (options.token) this.cached = { token: bearerValue(options.token), renewAt: Number.POSITIVE_INFINITY };
  }
  options;
  cached;
  pending;
  get renewable() {
    return !this.options.token && this.options.fetch !== void 0;
  }
  async current(signal) {
    if (this.cached && (!this.renewable || this.options.now() < this.cached.renewAt)) return this.cached.token;
    return (await untilAborted(this.fetchShared(), signal)).token;
  }
  /** After a 401 with `stale`: a new token, unless another caller already replaced it. */
  async renew(stale, signal) {
    if (this.cached?.token === stale) this.cached = void 0;
    return this.current(signal);
  }
  fetchShared() {
    if (!this.pending) {
      const fetch2 = this.options.fetch;
      if (!fetch2) return Promise.reject(new CarError("auth", "no credentials for CAR: give a token, or a username and password"));
      this.pending = fetch2().then((raw) => {
        const token = bearerValue(raw);
        const now = this.options.now();
        const exp = jwtExpiresAt(token);
        const expiresAt = exp !== void 0 && exp > now ? exp : now + TOKEN_LIFETIME_MS;
        const cached = { token, renewAt: expiresAt - Math.min(RENEW_EARLY_MS, (expiresAt - now) / 10) };
        this.cached = cached;
        return cached;
      }).finally(() => {
        this.pending = void 0;
      });
    }
    return this.pending;
  }
};

// src/car/call-slots.ts
var CallSlots = class {
  constructor(configured) {
    this.configured = configured;
    this.limit = configured;
  }
  configured;
  limit;
  running = 0;
  peak = 0;
  waiters = [];
  /** CAR's concurrency limit, from the latest answer that carried one. */
  carLimit(limit) {
    if (!Number.isFinite(limit) || limit < 1) return;
    this.limit = Math.min(this.configured, Math.floor(limit));
    this.wakeWaiters();
  }
  get capacity() {
    return this.limit;
  }
  /** The most calls that were ever in flight at once. */
  get maxInFlight() {
    return this.peak;
  }
  /** Resolves with the function that frees the slot. */
  async acquire(signal) {
    if (signal?.aborted) throw new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
    if (this.running < this.limit && this.waiters.length === 0) {
      this.running += 1;
    } else {
      await new Promise((resolve2, reject) => {
        const onAbort = () => {
          const index = this.waiters.indexOf(ready);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true }));
        };
        const ready = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve2();
        };
        this.waiters.push(ready);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.wakeWaiters();
    };
  }
  wakeWaiters() {
    while (this.running < this.limit && this.waiters.length > 0) {
      this.running += 1;
      this.waiters.shift()();
    }
  }
};

// src/car/limits.ts
function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function number(headers, name) {
  const text = header(headers, name)?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return void 0;
  return Number(text);
}
function retryAfterMs(headers, now) {
  const text = header(headers, "retry-after")?.trim();
  if (!text) return void 0;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1e3;
  const date = Date.parse(text);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}
function readLimitHeaders(headers, now) {
  return {
    limit: number(headers, "x-ratelimit-limit"),
    windowSec: number(headers, "x-ratelimit-window-sec"),
    remaining: number(headers, "x-ratelimit-remaining"),
    toWaitSec: number(headers, "x-ratelimit-towait-sec"),
    retryAfterMs: retryAfterMs(headers, now),
    concurrencyLimit: number(headers, "x-concurrency-limit-limit"),
    concurrencyRunning: number(headers, "x-concurrency-limit-running")
  };
}
function speaksOfLimits(h) {
  return Object.values(h).some((value) => value !== void 0);
}
function isConcurrencyBlock(h) {
  return h.concurrencyLimit !== void 0 && h.concurrencyRunning !== void 0 && h.concurrencyRunning >= h.concurrencyLimit;
}
var WAIT_MARGIN_MS = 100;
var FALLBACK_WAIT_MS = 3e3;
function rateLimitWaitMs(h, random) {
  if (h.toWaitSec !== void 0 && h.toWaitSec > 0) return h.toWaitSec * 1e3 + WAIT_MARGIN_MS;
  if (h.retryAfterMs !== void 0) return h.retryAfterMs + WAIT_MARGIN_MS;
  return FALLBACK_WAIT_MS * (1 + random());
}
function concurrencyWaitMs(h, random) {
  if (h.toWaitSec !== void 0 && h.toWaitSec > 0) return h.toWaitSec * 1e3;
  return 250 + 500 * random();
}

// src/car/pacer.ts
var EXPIRY_MARGIN_MS = 50;
var PRUNE_FROM = 4096;
var Pacer = class {
  counted = [];
  bySeq = /* @__PURE__ */ new Map();
  seq = 0;
  limit;
  windowMs;
  reported;
  blockedUntil = 0;
  lastSentAt = Number.NEGATIVE_INFINITY;
  /** Milliseconds to wait before the next call may be sent; 0 = now. */
  delayMs(now) {
    let until = this.blockedUntil;
    const { limit, windowMs } = this;
    if (limit !== void 0 && windowMs !== void 0) {
      if (this.counted.length >= limit || this.counted.length > PRUNE_FROM) this.forgetExpired(now, windowMs);
      if (this.counted.length >= limit) {
        const expiries = this.counted.map((c) => (c.answeredAt ?? now) + windowMs + EXPIRY_MARGIN_MS).sort((a, b) => a - b);
        until = Math.max(until, expiries[this.counted.length - limit]);
      }
      if (this.reported && this.reported.remaining - (this.seq - this.reported.seq) <= 0) {
        until = Math.max(until, this.lastSentAt + windowMs / limit);
      }
    }
    return Math.max(0, until - now);
  }
  /** Records a call as sent now. Call right after `delayMs` returned 0, with no await between. */
  sent(now) {
    const entry = { seq: ++this.seq };
    this.counted.push(entry);
    this.bySeq.set(entry.seq, entry);
    this.lastSentAt = now;
    return { seq: entry.seq };
  }
  /**
   * Records the answer to a call. `counted` is false when CAR turned it away (409/429) or no answer
   * came from CAR at all; such a call does not use the window.
   */
  answered(ticket, headers, now, counted) {
    const entry = this.bySeq.get(ticket.seq);
    this.bySeq.delete(ticket.seq);
    if (headers?.limit !== void 0 && headers.limit > 0) this.limit = headers.limit;
    if (headers?.windowSec !== void 0 && headers.windowSec > 0) this.windowMs = headers.windowSec * 1e3;
    if (entry) {
      if (counted && this.windowMs !== void 0) entry.answeredAt = now;
      else this.counted.splice(this.counted.indexOf(entry), 1);
    }
    if (!headers) return;
    if (headers.remaining !== void 0 && (!this.reported || ticket.seq >= this.reported.seq)) {
      this.reported = { remaining: headers.remaining, seq: ticket.seq };
    }
  }
  /** Nobody sends before `until` (CAR said how long to wait). */
  blockUntil(until) {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }
  forgetExpired(now, windowMs) {
    for (let i = this.counted.length - 1; i >= 0; i--) {
      const answeredAt = this.counted[i].answeredAt;
      if (answeredAt !== void 0 && answeredAt + windowMs + EXPIRY_MARGIN_MS <= now) this.counted.splice(i, 1);
    }
  }
};

// src/car/redactor.ts
var MIN_SECRET_LENGTH = 3;
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  add(...values) {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of [value, value.trim(), value.replace(/^\s*bearer\s+/i, ""), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]) {
        if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
      }
    }
  }
  /** `https_proxy=http://user:secret@proxy:3128` must not surface through an error about the proxy. */
  addProxyCredentials(env) {
    for (const name of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
      const value = env[name];
      if (!value) continue;
      try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
        this.add(url.password, url.password ? decodeURIComponent(url.password) : void 0);
      } catch {
      }
    }
  }
  clean(text) {
    let result = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join("***");
    }
    return result;
  }
};

// src/car/client.ts
var ACCEPT_CREATE = "application/vnd.qualys.car.api.v5.0+json";
var ACCEPT_UPDATE = "application/vnd.qualys.car.api.v4.0+json";
var UPDATE_ATTEMPTS = 3;
var UNSENT_ATTEMPTS = 3;
var RATE_LIMIT_RETRIES = 10;
var BARE_CONFLICT_RETRIES = 2;
var CONCURRENCY_RETRIES = 20;
var DEFAULT_MAX_WAIT_MS = 15 * 60 * 1e3;
var LOG_WAITS_FROM_MS = 1e3;
function seconds(ms) {
  return ms >= 6e4 ? `${Math.ceil(ms / 6e4)} min` : `${(ms / 1e3).toFixed(1)} s`;
}
function outcomeUnknown(spec) {
  return spec.idempotent ? "the change may or may not have been applied" : "the script may or may not have been created";
}
function locationHost(answer) {
  const location = answer.headers.location;
  const value = Array.isArray(location) ? location[0] : location;
  if (!value) return "an unnamed location";
  try {
    return new URL(value, "https://gateway.invalid").host;
  } catch {
    return "an unreadable location";
  }
}
var CarHttpClient = class {
  transport;
  tokens;
  slots;
  pacer = new Pacer();
  redactor = new Redactor();
  sleep;
  now;
  random;
  maxWaitMs;
  log;
  counters = { requests: 0, authRequests: 0, rateLimited: 0, retries: 0 };
  closed = false;
  constructor(options) {
    const { settings } = options;
    this.redactor.add(settings.token, settings.password);
    const baseUrl2 = normalizeBaseUrl(settings.baseUrl);
    if (!settings.token && !(settings.username && settings.password !== void 0)) {
      throw new Error("CAR needs credentials: a token, or a username and password");
    }
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`concurrency must be a whole number of 1 or more, not ${options.concurrency}`);
    }
    if (!(settings.timeoutMs > 0)) throw new Error(`the CAR timeout must be positive, not ${settings.timeoutMs} ms`);
    const env = options.env ?? process.env;
    this.redactor.addProxyCredentials(env);
    const userLog = options.log ?? (() => {
    });
    this.log = (message) => userLog(this.redactor.clean(message));
    const sleep = options.sleep ?? realSleep;
    this.sleep = async (ms, signal) => {
      try {
        await sleep(ms, signal);
      } catch (err) {
        if (signal?.aborted) throw new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
        throw err;
      }
    };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxWaitMs = options.rateLimitMaxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.transport = new CarTransport(baseUrl2, settings.timeoutMs, env);
    this.slots = new CallSlots(options.concurrency);
    const { username, password } = settings;
    this.tokens = new TokenSource({
      token: settings.token,
      now: this.now,
      fetch: username && password !== void 0 ? async () => {
        this.log(`requesting a CAR token at /auth${this.transport.route}`);
        const token = await requestToken({
          transport: this.transport,
          username,
          password,
          sleep: this.sleep,
          random: this.random,
          log: this.log,
          onRequest: () => {
            this.counters.requests += 1;
            this.counters.authRequests += 1;
          }
        });
        this.redactor.add(token);
        return token;
      } : void 0
    });
  }
  async createScript(body, signal) {
    const what = "the create";
    const answer = await this.guarded(
      () => this.call({ idempotent: false, method: "POST", path: "/sm/v5/script", accept: ACCEPT_CREATE, body: JSON.stringify(body), what, signal })
    );
    const json = parseJsonObject(answer.text);
    const refusal = envelopeError(json);
    const id = createdId(json);
    if (id !== void 0) {
      if (refusal) this.log(`CAR created script ${id} but reported: ${refusal}`);
      return id;
    }
    if (refusal) throw this.error("rejected", `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
    throw this.error(
      "unknown-outcome",
      `CAR answered HTTP ${answer.status} to ${what} without a readable script id (${carMessage(answer.text)}); the script may have been created`,
      answer.status
    );
  }
  async updateScript(id, body, signal) {
    const what = `the update of script ${id}`;
    if (!Number.isSafeInteger(id) || id < 1) throw new CarError("rejected", `${id} is not a CAR script id; ${what} was not sent`, void 0, { notSent: true });
    const answer = await this.guarded(
      () => this.call({ idempotent: true, method: "PATCH", path: `/sm/v4/script/${id}`, accept: ACCEPT_UPDATE, body: JSON.stringify(body), what, signal })
    );
    const refusal = envelopeError(parseJsonObject(answer.text));
    if (refusal) throw this.error("rejected", `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
  }
  stats() {
    return { ...this.counters, maxInFlight: this.slots.maxInFlight };
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.transport.close();
  }
  /** Every error leaves through here, so no message can carry a token or password. */
  async guarded(run) {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CarError) {
        const message2 = this.redactor.clean(err.message);
        throw message2 === err.message ? err : new CarError(err.kind, message2, err.status, { notSent: err.notSent });
      }
      const message = this.redactor.clean(err instanceof Error ? err.message : String(err));
      throw new CarError("unknown-outcome", `unexpected failure talking to CAR: ${message}`);
    }
  }
  error(kind, message, status, notSent = false) {
    return new CarError(kind, this.redactor.clean(message), status, { notSent });
  }
  /** Sends one call until it gets a 2xx (returned) or a final answer (thrown as CarError). */
  async call(spec) {
    const { signal, what } = spec;
    if (this.closed) throw this.error("aborted", `the CAR client is closed; ${what} was not sent`, void 0, true);
    let token = await this.tokens.current(signal);
    let renewed = false;
    let failures = 0;
    let limitRetries = 0;
    let concurrencyRetries = 0;
    const waited = { ms: 0 };
    for (; ; ) {
      let answer;
      let failure;
      const release = await this.slots.acquire(signal);
      let ticket;
      try {
        await this.paced(spec, waited);
        ticket = this.pacer.sent(this.now());
        this.counters.requests += 1;
        answer = await this.transport.send({
          method: spec.method,
          path: spec.path,
          headers: { Authorization: `Bearer ${token}`, Accept: spec.accept, "Content-Type": "application/json" },
          body: spec.body,
          signal
        });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        failure = err;
      } finally {
        release();
      }
      if (failure) {
        this.pacer.answered(ticket, void 0, this.now(), !failure.notSent);
        if (failure.reason === "aborted") {
          const when = failure.notSent ? "before it was sent" : `while in flight; ${outcomeUnknown(spec)}`;
          throw this.error("aborted", `${what} was cancelled ${when}`, void 0, failure.notSent);
        }
        failures += 1;
        const attempts = failure.notSent ? UNSENT_ATTEMPTS : spec.idempotent ? UPDATE_ATTEMPTS : 1;
        if (failures < attempts) {
          await this.backoff(spec, failures, failure.message, failure.notSent);
          continue;
        }
        throw this.transportError(spec, failure, failures);
      }
      const status = answer.status;
      const limits = readLimitHeaders(answer.headers, this.now());
      if (limits.concurrencyLimit !== void 0) this.slots.carLimit(limits.concurrencyLimit);
      const blocked = status === 409 || status === 429;
      this.pacer.answered(ticket, limits, this.now(), !blocked);
      if (status >= 200 && status < 300) return answer;
      if (status === 401) {
        if (this.tokens.renewable && !renewed) {
          renewed = true;
          this.counters.retries += 1;
          this.log(`CAR answered 401 to ${what}: renewing the token and sending it again`);
          token = await this.tokens.renew(token, signal);
          continue;
        }
        throw this.error(
          "auth",
          this.tokens.renewable ? `CAR answered HTTP 401 to ${what} even with a fresh token: check that the API user may manage CAR scripts` : `CAR refused the token (HTTP 401) for ${what}: it may have expired (tokens live 4 hours); give a new token, or a username and password`,
          401
        );
      }
      if (blocked) {
        this.counters.rateLimited += 1;
        if (isConcurrencyBlock(limits) && concurrencyRetries < CONCURRENCY_RETRIES) {
          concurrencyRetries += 1;
          this.counters.retries += 1;
          await this.sleep(concurrencyWaitMs(limits, this.random), signal);
          continue;
        }
        const bare = status === 409 && !speaksOfLimits(limits);
        if (bare && limitRetries >= BARE_CONFLICT_RETRIES) {
          throw this.error("rejected", `CAR rejected ${what} (HTTP 409): ${carMessage(answer.text)}`, 409);
        }
        const wait = rateLimitWaitMs(limits, this.random);
        if (limitRetries >= RATE_LIMIT_RETRIES || waited.ms + wait > this.maxWaitMs) {
          throw this.error(
            "rate-limited",
            `CAR's rate limit turned ${what} away ${limitRetries + 1} times (HTTP ${status}, next wait ${seconds(wait)}); it was not processed: run again later, or use max-writes to spread the sync over several runs`,
            status
          );
        }
        limitRetries += 1;
        this.counters.retries += 1;
        this.log(`CAR rate limit (HTTP ${status}): sending ${what} again in ${seconds(wait)}`);
        this.pacer.blockUntil(this.now() + wait);
        continue;
      }
      const message = carMessage(answer.text);
      if (status >= 300 && status < 400) {
        const redirect = `CAR answered HTTP ${status} to ${what}, redirecting to ${locationHost(answer)}; car-sync does not follow redirects so the token never leaves the gateway: check the platform or base URL`;
        throw this.error(status === 303 && !spec.idempotent ? "unknown-outcome" : "rejected", redirect, status);
      }
      if (status === 404) throw this.error("not-found", `CAR answered HTTP 404 (not found) to ${what}: ${message}`, 404);
      if (status === 403) throw this.error("forbidden", `CAR answered HTTP 403 (forbidden) to ${what}: ${message}`, 403);
      if (status >= 400 && status < 500) throw this.error("rejected", `CAR rejected ${what} (HTTP ${status}): ${message}`, status);
      failures += 1;
      if (spec.idempotent && failures < UPDATE_ATTEMPTS) {
        await this.backoff(spec, failures, `HTTP ${status}`, false);
        continue;
      }
      const tries = failures > 1 ? ` after ${failures} attempts` : "";
      throw this.error(
        "unknown-outcome",
        `CAR answered HTTP ${status} to ${what}${tries}: ${message}; ${outcomeUnknown(spec)}`,
        status
      );
    }
  }
  /** Waits until the pacer lets a call go; gives up unsent past the longest wait allowed. */
  async paced(spec, waited) {
    for (; ; ) {
      const delay2 = this.pacer.delayMs(this.now());
      if (delay2 <= 0) return;
      if (waited.ms + delay2 > this.maxWaitMs) {
        throw this.error(
          "rate-limited",
          `CAR's rate limit leaves no room for ${spec.what} for another ${seconds(delay2)}, longer than car-sync waits (${seconds(this.maxWaitMs)} per call); it was not sent: run again later, or use max-writes to spread the sync over several runs`,
          void 0,
          true
        );
      }
      if (delay2 >= LOG_WAITS_FROM_MS) this.log(`pacing for CAR's rate limit: ${spec.what} waits ${seconds(delay2)}`);
      await this.sleep(delay2, spec.signal);
      waited.ms += delay2;
    }
  }
  /** `lastNotSent`: whether the failed attempt provably never reached CAR, for a cancel during the wait. */
  async backoff(spec, failures, reason, lastNotSent) {
    const wait = backoffMs(failures, this.random);
    this.counters.retries += 1;
    this.log(`${spec.what} failed${this.transport.route} (${reason}); trying again in ${seconds(wait)}`);
    try {
      await this.sleep(wait, spec.signal);
    } catch (err) {
      if (err instanceof CarError && err.kind === "aborted" && !lastNotSent) {
        throw this.error("aborted", `${spec.what} was cancelled while waiting to be sent again; ${outcomeUnknown(spec)}`);
      }
      throw err;
    }
  }
  transportError(spec, failure, attempts) {
    const route = this.transport.route;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    if (failure.notSent) {
      return this.error("unknown-outcome", `could not reach CAR${route}${tries} (${failure.message}); ${spec.what} was not sent`, void 0, true);
    }
    const outcome = outcomeUnknown(spec);
    if (failure.reason === "timeout") return this.error("unknown-outcome", `${failure.message} from CAR${route} to ${spec.what}${tries}; ${outcome}`);
    return this.error("unknown-outcome", `the connection to CAR${route} failed during ${spec.what}${tries} (${failure.message}); ${outcome}`);
  }
};

// src/repo/load.ts
import path11 from "node:path";

// src/repo/defaults.ts
import path8 from "node:path";
function parentFolder(folder) {
  const parent = path8.posix.dirname(folder);
  return parent === "." ? "" : parent;
}
function defaultsChain(folder, scriptsDir, byFolder) {
  const chain = [];
  for (let current = folder; ; current = parentFolder(current)) {
    const defaults3 = byFolder.get(current);
    if (defaults3) chain.unshift(defaults3);
    if (current === scriptsDir || current === "") break;
  }
  return chain;
}
function mergeLayers(layers) {
  const merged = { fields: {}, source: {} };
  for (const layer of layers) {
    for (const [field, value] of Object.entries(layer.fields)) {
      merged.fields[field] = value;
      merged.source[field] = layer.parsed;
    }
  }
  return merged;
}

// src/repo/discover.ts
import { promises as fs4, readdirSync } from "node:fs";
import path9 from "node:path";
var KINDS = {
  "script.sh": "script",
  "script.ps1": "script",
  "meta.yaml": "meta",
  "defaults.yaml": "defaults"
};
var NEAR_NAMES = {
  "meta.yml": "meta.yaml",
  "defaults.yml": "defaults.yaml",
  "default.yaml": "defaults.yaml",
  "default.yml": "defaults.yaml"
};
function nameProblem(file, name) {
  const lower = name.toLowerCase();
  const meant = NEAR_NAMES[lower] ?? (KINDS[lower] && lower !== name ? lower : void 0);
  if (meant === void 0) return void 0;
  return { file, line: 1, column: 1, message: `car-sync only reads files named ${meant}; rename this file to ${meant}` };
}
function isInsideOrEqual(parent, child2) {
  const relative2 = path9.relative(parent, child2);
  return relative2 === "" || !relative2.startsWith("..") && !path9.isAbsolute(relative2);
}
var byPath2 = (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
function listTree(dir, prefix = "", entries = []) {
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const name = dirent.name;
    if (name.startsWith(".") || name === "node_modules") continue;
    const entryPath = prefix ? `${prefix}/${name}` : name;
    const absolute = dir.endsWith(path9.sep) ? dir + name : dir + path9.sep + name;
    if (dirent.isDirectory()) listTree(absolute, entryPath, entries);
    else entries.push({ path: entryPath, absolute, name, dirent });
  }
  return entries;
}
async function discoverFiles(root, scriptsDir) {
  const problems = [];
  const files = [];
  const scriptsDirPath = scriptsDir === "" || scriptsDir === "." ? "" : scriptsDir.replace(/\/+$/, "");
  const shownDir = scriptsDirPath || ".";
  const missing = (message) => ({
    scriptsDir: scriptsDirPath,
    files,
    problems: [{ file: shownDir, line: 1, column: 1, message }],
    scriptsDirFound: false
  });
  let rootReal;
  let scriptsReal;
  try {
    rootReal = await fs4.realpath(root);
    scriptsReal = await fs4.realpath(path9.join(root, scriptsDirPath));
  } catch {
    return missing(`scripts folder "${shownDir}" not found in ${root}; create it, or set scripts-dir to the folder that holds your scripts`);
  }
  if (!(await fs4.stat(scriptsReal)).isDirectory()) {
    return missing(`"${shownDir}" is a file, not a folder; set scripts-dir to the folder that holds your scripts`);
  }
  if (!isInsideOrEqual(rootReal, scriptsReal)) {
    return missing(`scripts folder "${shownDir}" is a symlink that leads outside the repository; car-sync only reads files inside it`);
  }
  const walk = async (dirReal, dirPath, chain) => {
    for (const entry of listTree(dirReal)) {
      const file = dirPath ? `${dirPath}/${entry.path}` : entry.path;
      if (entry.dirent.isSymbolicLink()) {
        await followLink(file, entry.absolute, entry.name, chain);
      } else if (entry.dirent.isFile()) {
        addFile(file, entry.absolute, entry.name);
      }
    }
  };
  const addFile = (file, absolutePath, name) => {
    const kind = KINDS[name];
    if (kind) files.push({ path: file, absolutePath, kind });
    else {
      const problem = nameProblem(file, name);
      if (problem) problems.push(problem);
    }
  };
  const followLink = async (file, absolute, name, chain) => {
    const target = await fs4.readlink(absolute).catch(() => "?");
    let real6;
    try {
      real6 = await fs4.realpath(absolute);
    } catch {
      if (KINDS[name]) problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads nowhere; the file it points to does not exist` });
      return;
    }
    if (!isInsideOrEqual(rootReal, real6)) {
      problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads outside the repository and is refused; copy the file into the repository instead` });
      return;
    }
    const stats = await fs4.stat(real6);
    if (stats.isFile()) {
      addFile(file, real6, name);
    } else if (stats.isDirectory()) {
      const linkFolderReal = path9.dirname(absolute);
      if ([...chain, linkFolderReal].some((walked) => isInsideOrEqual(real6, walked))) {
        problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads back into a folder that contains it; it is skipped to avoid an endless loop` });
        return;
      }
      await walk(real6, file, [...chain, real6]);
    }
  };
  await walk(scriptsReal, scriptsDirPath, [scriptsReal]);
  files.sort(byPath2);
  return { scriptsDir: scriptsDirPath, files, problems, scriptsDirFound: true };
}

// src/repo/normalize.ts
function defaultPlatform(scriptPath) {
  return scriptPath.endsWith(".ps1") ? "WINDOWS" : "LINUX";
}
function singularUnit(unit) {
  return unit.replace(/S$/, "");
}
function toScriptMeta(fields, scriptPath) {
  const f = fields;
  const meta2 = {
    title: f.title,
    description: f.description,
    platform: f.platform ?? defaultPlatform(scriptPath),
    severity: f.severity,
    threshold: f.threshold,
    thresholdTimeUnit: f.thresholdTimeUnit === void 0 ? void 0 : singularUnit(f.thresholdTimeUnit),
    typeId: f.typeId,
    languageId: f.languageId,
    categoryId: f.categoryId,
    scriptApprovalUserConsent: f.scriptApprovalUserConsent
  };
  const parameters = fields.parameters;
  if (parameters !== void 0) {
    meta2.parameters = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, String(value)]));
  }
  const control = fields.autorScriptsMetadata;
  if (control !== void 0) meta2.autorScriptsMetadata = { ...control, cid: String(control.cid) };
  for (const key of Object.keys(meta2)) {
    if (meta2[key] === void 0) delete meta2[key];
  }
  return meta2;
}

// src/repo/read.ts
import { readFileSync as readFileSync2 } from "node:fs";

// src/repo/content.ts
import { isUtf8 } from "node:buffer";
var SCRIPT_MAX_BYTES = 512e3;
var SCRIPT_WARN_BYTES = 5e5;
var UTF8_BOM = Buffer.from([239, 187, 191]);
function positionOfByte(content, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = content.indexOf(10); i >= 0 && i < offset; i = content.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: content.toString("utf8", lineStart, offset).length + 1 };
}
function firstInvalidUtf8Offset(content) {
  for (let i = 0; i < content.length; ) {
    const lead = content[i];
    if (lead < 128) {
      i++;
      continue;
    }
    let length;
    let low = 128;
    let high = 191;
    if (lead >= 194 && lead <= 223) length = 2;
    else if (lead >= 224 && lead <= 239) {
      length = 3;
      if (lead === 224) low = 160;
      if (lead === 237) high = 159;
    } else if (lead >= 240 && lead <= 244) {
      length = 4;
      if (lead === 240) low = 144;
      if (lead === 244) high = 143;
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = content[i + k];
      if (byte === void 0) return i;
      if (k === 1 ? byte < low || byte > high : byte < 128 || byte > 191) return i;
    }
    i += length;
  }
  return -1;
}
function encodingProblems(file, content) {
  const problems = [];
  if (!isUtf8(content)) {
    const offset = firstInvalidUtf8Offset(content);
    const byte = content[offset] ?? 0;
    problems.push({
      file,
      ...positionOfByte(content, offset),
      message: `not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, "0")}); save the file as UTF-8`
    });
  }
  const nul = content.indexOf(0);
  if (nul >= 0) {
    problems.push({ file, ...positionOfByte(content, nul), message: "holds a NUL byte; a script must be text, not binary" });
  }
  return problems;
}
var BLANK_BYTES = /* @__PURE__ */ new Set([32, 9, 10, 11, 12, 13]);
function isBlank(content) {
  for (const byte of content) if (!BLANK_BYTES.has(byte)) return false;
  return true;
}
function scriptContentProblems(file, content) {
  const problems = [];
  const warnings = [];
  const whole = { file, line: 1, column: 1 };
  if (content.length === 0) {
    problems.push({ ...whole, message: "script is empty" });
    return { problems, warnings };
  }
  if (content.length > SCRIPT_MAX_BYTES) {
    problems.push({ ...whole, message: `script is ${content.length.toLocaleString("en-US")} bytes; CAR accepts at most ${SCRIPT_MAX_BYTES.toLocaleString("en-US")} bytes` });
  } else if (content.length > SCRIPT_WARN_BYTES) {
    warnings.push({ ...whole, message: `script is ${content.length.toLocaleString("en-US")} bytes, over CAR's documented 500 KB; CAR may refuse it if that means 500,000 bytes` });
  }
  const encoding = encodingProblems(file, content);
  problems.push(...encoding);
  if (encoding.length === 0 && isBlank(content)) {
    problems.push({ ...whole, message: "script holds only whitespace" });
  }
  if (file.endsWith(".sh")) {
    if (content.subarray(0, 3).equals(UTF8_BOM)) {
      problems.push({ ...whole, message: "shell script starts with a UTF-8 byte order mark, which breaks its first line; save it without BOM" });
    }
    const crlf = content.indexOf("\r\n");
    if (crlf >= 0) {
      problems.push({
        file,
        ...positionOfByte(content, crlf),
        message: 'shell script has CRLF (Windows) line endings, which break bash; convert it to LF (dos2unix) and add "*.sh text eol=lf" to .gitattributes'
      });
    }
  }
  return { problems, warnings };
}

// src/repo/did-you-mean.ts
function levenshtein(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
function didYouMean(word, candidates) {
  const lower = word.toLowerCase();
  const sameIgnoringCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameIgnoringCase !== void 0) return sameIgnoringCase;
  let best;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance < Math.min(word.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// src/repo/validators.ts
var meta = validate0;
var schema0 = { "$schema": "http://json-schema.org/draft-07/schema#", "title": "car-sync meta.yaml", "description": "Metadata of one Qualys CAR script: the meta.yaml beside script.sh or script.ps1. Field names are CAR's own (POST /sm/v5/script).", "type": "object", "required": ["title"], "additionalProperties": false, "properties": { "title": { "description": "The script's title in CAR. Required, and unique across the repository (case-insensitive).", "type": "string", "minLength": 1, "pattern": "\\S" }, "description": { "description": "Free text shown in CAR.", "type": "string" }, "platform": { "description": "Target platform. Default from the extension: .ps1 WINDOWS, .sh LINUX. A .ps1 script must be WINDOWS; a .sh script must not be.", "enum": ["WINDOWS", "LINUX", "UNIX", "MAC"] }, "severity": { "description": "1 (lowest) to 5 (highest).", "type": "integer", "minimum": 1, "maximum": 5 }, "threshold": { "description": "How long the script may run, in thresholdTimeUnit; set both or neither.", "type": "integer", "minimum": 1 }, "thresholdTimeUnit": { "description": "Unit of threshold. The plural forms of older API versions are accepted and sent in the singular.", "enum": ["SECOND", "MINUTE", "HOUR", "SECONDS", "MINUTES", "HOURS"] }, "typeId": { "description": "The tenant's script type id (Custom Script, Custom QID, Control ID Remediation).", "type": "integer", "minimum": 1 }, "languageId": { "description": "The tenant's platform and language pair id (GET /sm/v1/script-language).", "type": "integer", "minimum": 1 }, "categoryId": { "description": "The tenant's script category id.", "type": "integer", "minimum": 1 }, "scriptApprovalUserConsent": { "description": "Create the script in the approval state.", "type": "boolean" }, "parameters": { "description": "Parameter name -> default value. Sent to CAR as hasParameters and base64 params.", "type": "object", "propertyNames": { "minLength": 1 }, "additionalProperties": { "type": ["string", "number", "boolean"] } }, "autorScriptsMetadata": { "description": "Control ID remediation details (the spelling is Qualys's).", "type": "object", "required": ["cid", "tech"], "additionalProperties": false, "properties": { "cid": { "description": 'The control ID number, e.g. "994911".', "type": ["string", "integer"], "pattern": "^[0-9]+$", "minimum": 1 }, "tech": { "description": 'Technologies the control applies to, e.g. "Ubuntu 20.x".', "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }, "policies": { "description": "Policies the control belongs to.", "type": "array", "items": { "type": "string", "minLength": 1 } }, "displayName": { "description": "Name shown for the remediation.", "type": "string" }, "subType": { "description": "Response or Detection.", "enum": ["Response", "Detection"] } } } } };
var func0 = Object.prototype.hasOwnProperty;
var func1 = require_ucs2length().default;
var pattern0 = new RegExp("\\S", "u");
var pattern1 = new RegExp("^[0-9]+$", "u");
function validate0(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.title === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "title" }, message: "must have required property 'title'", schema: schema0.required, parentSchema: schema0, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func0.call(schema0.properties, key0)) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema0, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.title !== void 0) {
      let data0 = data.title;
      if (typeof data0 === "string") {
        if (func1(data0) < 1) {
          const err2 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.title, data: data0 };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (!pattern0.test(data0)) {
          const err3 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/pattern", keyword: "pattern", params: { pattern: "\\S" }, message: 'must match pattern "\\S"', schema: "\\S", parentSchema: schema0.properties.title, data: data0 };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.title.type, parentSchema: schema0.properties.title, data: data0 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.description !== void 0) {
      let data1 = data.description;
      if (typeof data1 !== "string") {
        const err5 = { instancePath: instancePath + "/description", schemaPath: "#/properties/description/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.description.type, parentSchema: schema0.properties.description, data: data1 };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.platform !== void 0) {
      let data2 = data.platform;
      if (!(data2 === "WINDOWS" || data2 === "LINUX" || data2 === "UNIX" || data2 === "MAC")) {
        const err6 = { instancePath: instancePath + "/platform", schemaPath: "#/properties/platform/enum", keyword: "enum", params: { allowedValues: schema0.properties.platform.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.platform.enum, parentSchema: schema0.properties.platform, data: data2 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.severity !== void 0) {
      let data3 = data.severity;
      if (!(typeof data3 == "number" && (!(data3 % 1) && !isNaN(data3)) && isFinite(data3))) {
        const err7 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.severity.type, parentSchema: schema0.properties.severity, data: data3 };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      if (typeof data3 == "number" && isFinite(data3)) {
        if (data3 > 5 || isNaN(data3)) {
          const err8 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5 }, message: "must be <= 5", schema: 5, parentSchema: schema0.properties.severity, data: data3 };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        if (data3 < 1 || isNaN(data3)) {
          const err9 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.severity, data: data3 };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      }
    }
    if (data.threshold !== void 0) {
      let data4 = data.threshold;
      if (!(typeof data4 == "number" && (!(data4 % 1) && !isNaN(data4)) && isFinite(data4))) {
        const err10 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.threshold.type, parentSchema: schema0.properties.threshold, data: data4 };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
      if (typeof data4 == "number" && isFinite(data4)) {
        if (data4 < 1 || isNaN(data4)) {
          const err11 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.threshold, data: data4 };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
      }
    }
    if (data.thresholdTimeUnit !== void 0) {
      let data5 = data.thresholdTimeUnit;
      if (!(data5 === "SECOND" || data5 === "MINUTE" || data5 === "HOUR" || data5 === "SECONDS" || data5 === "MINUTES" || data5 === "HOURS")) {
        const err12 = { instancePath: instancePath + "/thresholdTimeUnit", schemaPath: "#/properties/thresholdTimeUnit/enum", keyword: "enum", params: { allowedValues: schema0.properties.thresholdTimeUnit.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.thresholdTimeUnit.enum, parentSchema: schema0.properties.thresholdTimeUnit, data: data5 };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
    }
    if (data.typeId !== void 0) {
      let data6 = data.typeId;
      if (!(typeof data6 == "number" && (!(data6 % 1) && !isNaN(data6)) && isFinite(data6))) {
        const err13 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.typeId.type, parentSchema: schema0.properties.typeId, data: data6 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 < 1 || isNaN(data6)) {
          const err14 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.typeId, data: data6 };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      }
    }
    if (data.languageId !== void 0) {
      let data7 = data.languageId;
      if (!(typeof data7 == "number" && (!(data7 % 1) && !isNaN(data7)) && isFinite(data7))) {
        const err15 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.languageId.type, parentSchema: schema0.properties.languageId, data: data7 };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
      if (typeof data7 == "number" && isFinite(data7)) {
        if (data7 < 1 || isNaN(data7)) {
          const err16 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.languageId, data: data7 };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
      }
    }
    if (data.categoryId !== void 0) {
      let data8 = data.categoryId;
      if (!(typeof data8 == "number" && (!(data8 % 1) && !isNaN(data8)) && isFinite(data8))) {
        const err17 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.categoryId.type, parentSchema: schema0.properties.categoryId, data: data8 };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
      if (typeof data8 == "number" && isFinite(data8)) {
        if (data8 < 1 || isNaN(data8)) {
          const err18 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.categoryId, data: data8 };
          if (vErrors === null) {
            vErrors = [err18];
          } else {
            vErrors.push(err18);
          }
          errors++;
        }
      }
    }
    if (data.scriptApprovalUserConsent !== void 0) {
      let data9 = data.scriptApprovalUserConsent;
      if (typeof data9 !== "boolean") {
        const err19 = { instancePath: instancePath + "/scriptApprovalUserConsent", schemaPath: "#/properties/scriptApprovalUserConsent/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema0.properties.scriptApprovalUserConsent.type, parentSchema: schema0.properties.scriptApprovalUserConsent, data: data9 };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
    }
    if (data.parameters !== void 0) {
      let data10 = data.parameters;
      if (data10 && typeof data10 == "object" && !Array.isArray(data10)) {
        for (const key1 in data10) {
          const _errs22 = errors;
          if (typeof key1 === "string") {
            if (func1(key1) < 1) {
              const err20 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.parameters.propertyNames, data: key1, propertyName: key1 };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
          }
          var valid1 = _errs22 === errors;
          if (!valid1) {
            const err21 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames", keyword: "propertyNames", params: { propertyName: key1 }, message: "property name must be valid", schema: schema0.properties.parameters.propertyNames, parentSchema: schema0.properties.parameters, data: data10 };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
        for (const key2 in data10) {
          let data11 = data10[key2];
          if (typeof data11 !== "string" && !(typeof data11 == "number" && isFinite(data11)) && typeof data11 !== "boolean") {
            const err22 = { instancePath: instancePath + "/parameters/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/parameters/additionalProperties/type", keyword: "type", params: { type: schema0.properties.parameters.additionalProperties.type }, message: "must be string,number,boolean", schema: schema0.properties.parameters.additionalProperties.type, parentSchema: schema0.properties.parameters.additionalProperties, data: data11 };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
      } else {
        const err23 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.properties.parameters.type, parentSchema: schema0.properties.parameters, data: data10 };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.autorScriptsMetadata !== void 0) {
      let data12 = data.autorScriptsMetadata;
      if (data12 && typeof data12 == "object" && !Array.isArray(data12)) {
        if (data12.cid === void 0) {
          const err24 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "cid" }, message: "must have required property 'cid'", schema: schema0.properties.autorScriptsMetadata.required, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
          if (vErrors === null) {
            vErrors = [err24];
          } else {
            vErrors.push(err24);
          }
          errors++;
        }
        if (data12.tech === void 0) {
          const err25 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "tech" }, message: "must have required property 'tech'", schema: schema0.properties.autorScriptsMetadata.required, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
          if (vErrors === null) {
            vErrors = [err25];
          } else {
            vErrors.push(err25);
          }
          errors++;
        }
        for (const key3 in data12) {
          if (!(key3 === "cid" || key3 === "tech" || key3 === "policies" || key3 === "displayName" || key3 === "subType")) {
            const err26 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties", schema: false, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          }
        }
        if (data12.cid !== void 0) {
          let data13 = data12.cid;
          if (typeof data13 !== "string" && !(typeof data13 == "number" && (!(data13 % 1) && !isNaN(data13)) && isFinite(data13))) {
            const err27 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/type", keyword: "type", params: { type: schema0.properties.autorScriptsMetadata.properties.cid.type }, message: "must be string,integer", schema: schema0.properties.autorScriptsMetadata.properties.cid.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
            if (vErrors === null) {
              vErrors = [err27];
            } else {
              vErrors.push(err27);
            }
            errors++;
          }
          if (typeof data13 == "number" && isFinite(data13)) {
            if (data13 < 1 || isNaN(data13)) {
              const err28 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
              if (vErrors === null) {
                vErrors = [err28];
              } else {
                vErrors.push(err28);
              }
              errors++;
            }
          }
          if (typeof data13 === "string") {
            if (!pattern1.test(data13)) {
              const err29 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/pattern", keyword: "pattern", params: { pattern: "^[0-9]+$" }, message: 'must match pattern "^[0-9]+$"', schema: "^[0-9]+$", parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
              if (vErrors === null) {
                vErrors = [err29];
              } else {
                vErrors.push(err29);
              }
              errors++;
            }
          }
        }
        if (data12.tech !== void 0) {
          let data14 = data12.tech;
          if (Array.isArray(data14)) {
            if (data14.length < 1) {
              const err30 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech, data: data14 };
              if (vErrors === null) {
                vErrors = [err30];
              } else {
                vErrors.push(err30);
              }
              errors++;
            }
            const len0 = data14.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data15 = data14[i0];
              if (typeof data15 === "string") {
                if (func1(data15) < 1) {
                  const err31 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech.items, data: data15 };
                  if (vErrors === null) {
                    vErrors = [err31];
                  } else {
                    vErrors.push(err31);
                  }
                  errors++;
                }
              } else {
                const err32 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.tech.items.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech.items, data: data15 };
                if (vErrors === null) {
                  vErrors = [err32];
                } else {
                  vErrors.push(err32);
                }
                errors++;
              }
            }
          } else {
            const err33 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema0.properties.autorScriptsMetadata.properties.tech.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech, data: data14 };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
        }
        if (data12.policies !== void 0) {
          let data16 = data12.policies;
          if (Array.isArray(data16)) {
            const len1 = data16.length;
            for (let i1 = 0; i1 < len1; i1++) {
              let data17 = data16[i1];
              if (typeof data17 === "string") {
                if (func1(data17) < 1) {
                  const err34 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies.items, data: data17 };
                  if (vErrors === null) {
                    vErrors = [err34];
                  } else {
                    vErrors.push(err34);
                  }
                  errors++;
                }
              } else {
                const err35 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.policies.items.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies.items, data: data17 };
                if (vErrors === null) {
                  vErrors = [err35];
                } else {
                  vErrors.push(err35);
                }
                errors++;
              }
            }
          } else {
            const err36 = { instancePath: instancePath + "/autorScriptsMetadata/policies", schemaPath: "#/properties/autorScriptsMetadata/properties/policies/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema0.properties.autorScriptsMetadata.properties.policies.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies, data: data16 };
            if (vErrors === null) {
              vErrors = [err36];
            } else {
              vErrors.push(err36);
            }
            errors++;
          }
        }
        if (data12.displayName !== void 0) {
          let data18 = data12.displayName;
          if (typeof data18 !== "string") {
            const err37 = { instancePath: instancePath + "/autorScriptsMetadata/displayName", schemaPath: "#/properties/autorScriptsMetadata/properties/displayName/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.displayName.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.displayName, data: data18 };
            if (vErrors === null) {
              vErrors = [err37];
            } else {
              vErrors.push(err37);
            }
            errors++;
          }
        }
        if (data12.subType !== void 0) {
          let data19 = data12.subType;
          if (!(data19 === "Response" || data19 === "Detection")) {
            const err38 = { instancePath: instancePath + "/autorScriptsMetadata/subType", schemaPath: "#/properties/autorScriptsMetadata/properties/subType/enum", keyword: "enum", params: { allowedValues: schema0.properties.autorScriptsMetadata.properties.subType.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.autorScriptsMetadata.properties.subType.enum, parentSchema: schema0.properties.autorScriptsMetadata.properties.subType, data: data19 };
            if (vErrors === null) {
              vErrors = [err38];
            } else {
              vErrors.push(err38);
            }
            errors++;
          }
        }
      } else {
        const err39 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.properties.autorScriptsMetadata.type, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
        if (vErrors === null) {
          vErrors = [err39];
        } else {
          vErrors.push(err39);
        }
        errors++;
      }
    }
  } else {
    const err40 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.type, parentSchema: schema0, data };
    if (vErrors === null) {
      vErrors = [err40];
    } else {
      vErrors.push(err40);
    }
    errors++;
  }
  validate0.errors = vErrors;
  return errors === 0;
}
var defaults2 = validate1;
var schema1 = { "$schema": "http://json-schema.org/draft-07/schema#", "title": "car-sync defaults.yaml", "description": "Fields shared by every meta.yaml in this folder and below it; the nearest defaults.yaml wins, field by field, and meta.yaml wins over all. title is not allowed: every script needs its own.", "type": "object", "additionalProperties": false, "properties": { "description": { "description": "Free text shown in CAR.", "type": "string" }, "platform": { "description": "Target platform. Default from the extension: .ps1 WINDOWS, .sh LINUX. A .ps1 script must be WINDOWS; a .sh script must not be.", "enum": ["WINDOWS", "LINUX", "UNIX", "MAC"] }, "severity": { "description": "1 (lowest) to 5 (highest).", "type": "integer", "minimum": 1, "maximum": 5 }, "threshold": { "description": "How long the script may run, in thresholdTimeUnit; set both or neither.", "type": "integer", "minimum": 1 }, "thresholdTimeUnit": { "description": "Unit of threshold. The plural forms of older API versions are accepted and sent in the singular.", "enum": ["SECOND", "MINUTE", "HOUR", "SECONDS", "MINUTES", "HOURS"] }, "typeId": { "description": "The tenant's script type id (Custom Script, Custom QID, Control ID Remediation).", "type": "integer", "minimum": 1 }, "languageId": { "description": "The tenant's platform and language pair id (GET /sm/v1/script-language).", "type": "integer", "minimum": 1 }, "categoryId": { "description": "The tenant's script category id.", "type": "integer", "minimum": 1 }, "scriptApprovalUserConsent": { "description": "Create the script in the approval state.", "type": "boolean" }, "parameters": { "description": "Parameter name -> default value. Sent to CAR as hasParameters and base64 params.", "type": "object", "propertyNames": { "minLength": 1 }, "additionalProperties": { "type": ["string", "number", "boolean"] } }, "autorScriptsMetadata": { "description": "Control ID remediation details (the spelling is Qualys's).", "type": "object", "required": ["cid", "tech"], "additionalProperties": false, "properties": { "cid": { "description": 'The control ID number, e.g. "994911".', "type": ["string", "integer"], "pattern": "^[0-9]+$", "minimum": 1 }, "tech": { "description": 'Technologies the control applies to, e.g. "Ubuntu 20.x".', "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }, "policies": { "description": "Policies the control belongs to.", "type": "array", "items": { "type": "string", "minLength": 1 } }, "displayName": { "description": "Name shown for the remediation.", "type": "string" }, "subType": { "description": "Response or Detection.", "enum": ["Response", "Detection"] } } } } };
function validate1(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!func0.call(schema1.properties, key0)) {
        const err0 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema1, data };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.description !== void 0) {
      let data0 = data.description;
      if (typeof data0 !== "string") {
        const err1 = { instancePath: instancePath + "/description", schemaPath: "#/properties/description/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.description.type, parentSchema: schema1.properties.description, data: data0 };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.platform !== void 0) {
      let data1 = data.platform;
      if (!(data1 === "WINDOWS" || data1 === "LINUX" || data1 === "UNIX" || data1 === "MAC")) {
        const err2 = { instancePath: instancePath + "/platform", schemaPath: "#/properties/platform/enum", keyword: "enum", params: { allowedValues: schema1.properties.platform.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.platform.enum, parentSchema: schema1.properties.platform, data: data1 };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.severity !== void 0) {
      let data2 = data.severity;
      if (!(typeof data2 == "number" && (!(data2 % 1) && !isNaN(data2)) && isFinite(data2))) {
        const err3 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.severity.type, parentSchema: schema1.properties.severity, data: data2 };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
      if (typeof data2 == "number" && isFinite(data2)) {
        if (data2 > 5 || isNaN(data2)) {
          const err4 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5 }, message: "must be <= 5", schema: 5, parentSchema: schema1.properties.severity, data: data2 };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
        if (data2 < 1 || isNaN(data2)) {
          const err5 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.severity, data: data2 };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      }
    }
    if (data.threshold !== void 0) {
      let data3 = data.threshold;
      if (!(typeof data3 == "number" && (!(data3 % 1) && !isNaN(data3)) && isFinite(data3))) {
        const err6 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.threshold.type, parentSchema: schema1.properties.threshold, data: data3 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
      if (typeof data3 == "number" && isFinite(data3)) {
        if (data3 < 1 || isNaN(data3)) {
          const err7 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.threshold, data: data3 };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      }
    }
    if (data.thresholdTimeUnit !== void 0) {
      let data4 = data.thresholdTimeUnit;
      if (!(data4 === "SECOND" || data4 === "MINUTE" || data4 === "HOUR" || data4 === "SECONDS" || data4 === "MINUTES" || data4 === "HOURS")) {
        const err8 = { instancePath: instancePath + "/thresholdTimeUnit", schemaPath: "#/properties/thresholdTimeUnit/enum", keyword: "enum", params: { allowedValues: schema1.properties.thresholdTimeUnit.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.thresholdTimeUnit.enum, parentSchema: schema1.properties.thresholdTimeUnit, data: data4 };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.typeId !== void 0) {
      let data5 = data.typeId;
      if (!(typeof data5 == "number" && (!(data5 % 1) && !isNaN(data5)) && isFinite(data5))) {
        const err9 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.typeId.type, parentSchema: schema1.properties.typeId, data: data5 };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
      if (typeof data5 == "number" && isFinite(data5)) {
        if (data5 < 1 || isNaN(data5)) {
          const err10 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.typeId, data: data5 };
          if (vErrors === null) {
            vErrors = [err10];
          } else {
            vErrors.push(err10);
          }
          errors++;
        }
      }
    }
    if (data.languageId !== void 0) {
      let data6 = data.languageId;
      if (!(typeof data6 == "number" && (!(data6 % 1) && !isNaN(data6)) && isFinite(data6))) {
        const err11 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.languageId.type, parentSchema: schema1.properties.languageId, data: data6 };
        if (vErrors === null) {
          vErrors = [err11];
        } else {
          vErrors.push(err11);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 < 1 || isNaN(data6)) {
          const err12 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.languageId, data: data6 };
          if (vErrors === null) {
            vErrors = [err12];
          } else {
            vErrors.push(err12);
          }
          errors++;
        }
      }
    }
    if (data.categoryId !== void 0) {
      let data7 = data.categoryId;
      if (!(typeof data7 == "number" && (!(data7 % 1) && !isNaN(data7)) && isFinite(data7))) {
        const err13 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.categoryId.type, parentSchema: schema1.properties.categoryId, data: data7 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
      if (typeof data7 == "number" && isFinite(data7)) {
        if (data7 < 1 || isNaN(data7)) {
          const err14 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.categoryId, data: data7 };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      }
    }
    if (data.scriptApprovalUserConsent !== void 0) {
      let data8 = data.scriptApprovalUserConsent;
      if (typeof data8 !== "boolean") {
        const err15 = { instancePath: instancePath + "/scriptApprovalUserConsent", schemaPath: "#/properties/scriptApprovalUserConsent/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema1.properties.scriptApprovalUserConsent.type, parentSchema: schema1.properties.scriptApprovalUserConsent, data: data8 };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
    if (data.parameters !== void 0) {
      let data9 = data.parameters;
      if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
        for (const key1 in data9) {
          const _errs20 = errors;
          if (typeof key1 === "string") {
            if (func1(key1) < 1) {
              const err16 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.parameters.propertyNames, data: key1, propertyName: key1 };
              if (vErrors === null) {
                vErrors = [err16];
              } else {
                vErrors.push(err16);
              }
              errors++;
            }
          }
          var valid1 = _errs20 === errors;
          if (!valid1) {
            const err17 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames", keyword: "propertyNames", params: { propertyName: key1 }, message: "property name must be valid", schema: schema1.properties.parameters.propertyNames, parentSchema: schema1.properties.parameters, data: data9 };
            if (vErrors === null) {
              vErrors = [err17];
            } else {
              vErrors.push(err17);
            }
            errors++;
          }
        }
        for (const key2 in data9) {
          let data10 = data9[key2];
          if (typeof data10 !== "string" && !(typeof data10 == "number" && isFinite(data10)) && typeof data10 !== "boolean") {
            const err18 = { instancePath: instancePath + "/parameters/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/parameters/additionalProperties/type", keyword: "type", params: { type: schema1.properties.parameters.additionalProperties.type }, message: "must be string,number,boolean", schema: schema1.properties.parameters.additionalProperties.type, parentSchema: schema1.properties.parameters.additionalProperties, data: data10 };
            if (vErrors === null) {
              vErrors = [err18];
            } else {
              vErrors.push(err18);
            }
            errors++;
          }
        }
      } else {
        const err19 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.properties.parameters.type, parentSchema: schema1.properties.parameters, data: data9 };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
    }
    if (data.autorScriptsMetadata !== void 0) {
      let data11 = data.autorScriptsMetadata;
      if (data11 && typeof data11 == "object" && !Array.isArray(data11)) {
        if (data11.cid === void 0) {
          const err20 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "cid" }, message: "must have required property 'cid'", schema: schema1.properties.autorScriptsMetadata.required, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
          if (vErrors === null) {
            vErrors = [err20];
          } else {
            vErrors.push(err20);
          }
          errors++;
        }
        if (data11.tech === void 0) {
          const err21 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "tech" }, message: "must have required property 'tech'", schema: schema1.properties.autorScriptsMetadata.required, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
          if (vErrors === null) {
            vErrors = [err21];
          } else {
            vErrors.push(err21);
          }
          errors++;
        }
        for (const key3 in data11) {
          if (!(key3 === "cid" || key3 === "tech" || key3 === "policies" || key3 === "displayName" || key3 === "subType")) {
            const err22 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties", schema: false, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
        if (data11.cid !== void 0) {
          let data12 = data11.cid;
          if (typeof data12 !== "string" && !(typeof data12 == "number" && (!(data12 % 1) && !isNaN(data12)) && isFinite(data12))) {
            const err23 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/type", keyword: "type", params: { type: schema1.properties.autorScriptsMetadata.properties.cid.type }, message: "must be string,integer", schema: schema1.properties.autorScriptsMetadata.properties.cid.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
            if (vErrors === null) {
              vErrors = [err23];
            } else {
              vErrors.push(err23);
            }
            errors++;
          }
          if (typeof data12 == "number" && isFinite(data12)) {
            if (data12 < 1 || isNaN(data12)) {
              const err24 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
              if (vErrors === null) {
                vErrors = [err24];
              } else {
                vErrors.push(err24);
              }
              errors++;
            }
          }
          if (typeof data12 === "string") {
            if (!pattern1.test(data12)) {
              const err25 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/pattern", keyword: "pattern", params: { pattern: "^[0-9]+$" }, message: 'must match pattern "^[0-9]+$"', schema: "^[0-9]+$", parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
              if (vErrors === null) {
                vErrors = [err25];
              } else {
                vErrors.push(err25);
              }
              errors++;
            }
          }
        }
        if (data11.tech !== void 0) {
          let data13 = data11.tech;
          if (Array.isArray(data13)) {
            if (data13.length < 1) {
              const err26 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech, data: data13 };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
            const len0 = data13.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data14 = data13[i0];
              if (typeof data14 === "string") {
                if (func1(data14) < 1) {
                  const err27 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech.items, data: data14 };
                  if (vErrors === null) {
                    vErrors = [err27];
                  } else {
                    vErrors.push(err27);
                  }
                  errors++;
                }
              } else {
                const err28 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.tech.items.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech.items, data: data14 };
                if (vErrors === null) {
                  vErrors = [err28];
                } else {
                  vErrors.push(err28);
                }
                errors++;
              }
            }
          } else {
            const err29 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema1.properties.autorScriptsMetadata.properties.tech.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech, data: data13 };
            if (vErrors === null) {
              vErrors = [err29];
            } else {
              vErrors.push(err29);
            }
            errors++;
          }
        }
        if (data11.policies !== void 0) {
          let data15 = data11.policies;
          if (Array.isArray(data15)) {
            const len1 = data15.length;
            for (let i1 = 0; i1 < len1; i1++) {
              let data16 = data15[i1];
              if (typeof data16 === "string") {
                if (func1(data16) < 1) {
                  const err30 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies.items, data: data16 };
                  if (vErrors === null) {
                    vErrors = [err30];
                  } else {
                    vErrors.push(err30);
                  }
                  errors++;
                }
              } else {
                const err31 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.policies.items.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies.items, data: data16 };
                if (vErrors === null) {
                  vErrors = [err31];
                } else {
                  vErrors.push(err31);
                }
                errors++;
              }
            }
          } else {
            const err32 = { instancePath: instancePath + "/autorScriptsMetadata/policies", schemaPath: "#/properties/autorScriptsMetadata/properties/policies/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema1.properties.autorScriptsMetadata.properties.policies.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies, data: data15 };
            if (vErrors === null) {
              vErrors = [err32];
            } else {
              vErrors.push(err32);
            }
            errors++;
          }
        }
        if (data11.displayName !== void 0) {
          let data17 = data11.displayName;
          if (typeof data17 !== "string") {
            const err33 = { instancePath: instancePath + "/autorScriptsMetadata/displayName", schemaPath: "#/properties/autorScriptsMetadata/properties/displayName/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.displayName.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.displayName, data: data17 };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
        }
        if (data11.subType !== void 0) {
          let data18 = data11.subType;
          if (!(data18 === "Response" || data18 === "Detection")) {
            const err34 = { instancePath: instancePath + "/autorScriptsMetadata/subType", schemaPath: "#/properties/autorScriptsMetadata/properties/subType/enum", keyword: "enum", params: { allowedValues: schema1.properties.autorScriptsMetadata.properties.subType.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.autorScriptsMetadata.properties.subType.enum, parentSchema: schema1.properties.autorScriptsMetadata.properties.subType, data: data18 };
            if (vErrors === null) {
              vErrors = [err34];
            } else {
              vErrors.push(err34);
            }
            errors++;
          }
        }
      } else {
        const err35 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.properties.autorScriptsMetadata.type, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
  } else {
    const err36 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.type, parentSchema: schema1, data };
    if (vErrors === null) {
      vErrors = [err36];
    } else {
      vErrors.push(err36);
    }
    errors++;
  }
  validate1.errors = vErrors;
  return errors === 0;
}
var validators = { meta, defaults: defaults2 };

// src/repo/simple-yaml.ts
var DECLINE = /* @__PURE__ */ Symbol("decline");
var KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]{0,99}):(?: (.*))?$/;
var BLOCK_SCALAR_HEADER = /^([|>])(-?)$/;
var UNSURE_START = /^[-?:,[\]{}#&*!|>'"%@`+.~0-9]/;
var SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
var BOOLEANS = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
var NULLS = /* @__PURE__ */ new Set(["null", "Null", "NULL"]);
var UNSURE_CHARACTERS = /[\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/;
var Reader = class {
  constructor(lines) {
    this.lines = lines;
  }
  lines;
  index = 0;
  document() {
    this.skipComments();
    if (this.index >= this.lines.length || this.lines[this.index].indent !== 0) throw DECLINE;
    return this.map(0);
  }
  skipComments() {
    while (this.index < this.lines.length) {
      const { content } = this.lines[this.index];
      if (content !== "" && !content.startsWith("#")) return;
      this.index++;
    }
  }
  map(indent) {
    const map = {};
    for (; ; ) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent) return map;
      if (line.indent > indent) throw DECLINE;
      const match = KEY_LINE.exec(line.content);
      if (!match) throw DECLINE;
      const key = match[1];
      if (Object.hasOwn(map, key)) throw DECLINE;
      let rest = (match[2] ?? "").trim();
      if (rest.startsWith("#")) rest = "";
      this.index++;
      const header2 = BLOCK_SCALAR_HEADER.exec(rest);
      if (rest === "") map[key] = this.nested(indent);
      else if (header2) map[key] = this.blockScalar(indent, header2[1] === ">", header2[2] === "-");
      else map[key] = scalar(rest);
    }
  }
  /** What follows `key:` with nothing after it: a map or a list below it, or null. */
  nested(keyIndent) {
    this.skipComments();
    const line = this.lines[this.index];
    if (!line || line.indent < keyIndent) return null;
    const isItem = line.content === "-" || line.content.startsWith("- ");
    if (line.indent === keyIndent) return isItem ? this.list(keyIndent) : null;
    return isItem ? this.list(line.indent) : this.map(line.indent);
  }
  list(indent) {
    const items = [];
    for (; ; ) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent || !line.content.startsWith("- ")) {
        if (line && line.indent > indent) throw DECLINE;
        return items;
      }
      if (line.indent > indent) throw DECLINE;
      const item = line.content.slice(2).trim();
      if (item === "") throw DECLINE;
      items.push(scalar(item));
      this.index++;
    }
  }
  /** `>`/`>-` (folded) and `|`/`|-` (literal) with lines of one indentation; no keep (`+`), no indicator digit. */
  blockScalar(keyIndent, folded, strip) {
    const parts = [];
    let blockIndent = -1;
    for (; this.index < this.lines.length; this.index++) {
      const line = this.lines[this.index];
      if (line.content === "") {
        if (blockIndent < 0 || line.indent > blockIndent) throw DECLINE;
        parts.push("");
        continue;
      }
      if (blockIndent < 0) {
        if (line.indent <= keyIndent) throw DECLINE;
        blockIndent = line.indent;
      }
      if (line.indent < blockIndent) break;
      if (folded && line.indent > blockIndent) throw DECLINE;
      const text = line.raw.slice(blockIndent);
      if (text.endsWith(" ")) throw DECLINE;
      parts.push(text);
    }
    if (blockIndent < 0) throw DECLINE;
    while (parts[parts.length - 1] === "") parts.pop();
    let value;
    if (folded) {
      value = parts[0];
      let breaks = 0;
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i];
        if (part === "") {
          breaks++;
          continue;
        }
        value += breaks === 0 ? " " : "\n".repeat(breaks);
        value += part;
        breaks = 0;
      }
    } else {
      value = parts.join("\n");
    }
    return strip ? value : `${value}
`;
  }
};
var AFTER_QUOTE = /^(?: +#.*)?$/;
function quoted(text) {
  if (text[0] === '"') {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.includes("\\") || !AFTER_QUOTE.test(text.slice(end + 1))) throw DECLINE;
    return text.slice(1, end);
  }
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (char !== "'") {
      value += char;
    } else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else {
      if (!AFTER_QUOTE.test(text.slice(i + 1))) throw DECLINE;
      return value;
    }
  }
  throw DECLINE;
}
function scalar(line) {
  if (line[0] === '"' || line[0] === "'") return quoted(line);
  const comment = line.indexOf(" #");
  const text = comment < 0 ? line : line.slice(0, comment).trimEnd();
  if (SMALL_INT.test(text)) return Number(text);
  if (UNSURE_START.test(text) || text.includes(": ") || text.endsWith(":") || NULLS.has(text)) throw DECLINE;
  const boolean = BOOLEANS[text];
  return boolean ?? text;
}
function readSimpleYaml(text) {
  if (!text.endsWith("\n") || UNSURE_CHARACTERS.test(text)) return void 0;
  const raws = text.split("\n");
  raws.pop();
  const lines = [];
  let started = false;
  for (const raw of raws) {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const content = raw.slice(indent);
    const comment = content === "" || content.startsWith("#");
    if (raw === "---" && !started) {
      started = true;
      lines.push({ indent: 0, content: "", raw: "" });
      continue;
    }
    if (content.startsWith("---") || content.startsWith("...") || content.startsWith("%")) return void 0;
    if (!comment) started = true;
    lines.push({ indent, content, raw });
  }
  try {
    return new Reader(lines).document();
  } catch (err) {
    if (err === DECLINE) return void 0;
    throw err;
  }
}

// src/repo/yaml.ts
function positionAt(lineCounter, offset) {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
function parseWithPositions(text) {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}
function parseYaml(text, file) {
  const simple = readSimpleYaml(text);
  if (simple !== void 0) {
    let full;
    const parsed = {
      file,
      value: simple,
      get doc() {
        return (full ??= parseWithPositions(text)).doc;
      },
      get lineCounter() {
        return (full ??= parseWithPositions(text)).lineCounter;
      }
    };
    return { parsed, problems: [] };
  }
  const { doc, lineCounter } = parseWithPositions(text);
  const problems = [];
  const reportedAt = /* @__PURE__ */ new Set();
  for (const error2 of doc.errors) {
    if (reportedAt.has(error2.pos[0])) continue;
    reportedAt.add(error2.pos[0]);
    const message = error2.code === "DUPLICATE_KEY" ? "duplicate key: a key may appear only once in a map" : `YAML syntax error: ${firstLine(error2.message)}`;
    problems.push({ file, ...positionAt(lineCounter, error2.pos[0]), message });
  }
  let value;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({ file, line: 1, column: 1, message: `YAML could not be read: ${err.message}` });
    }
  }
  return { parsed: { file, doc, lineCounter, value }, problems };
}
function firstLine(message) {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
function decodePointerSegment(segment) {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
function nodeAt(parsed, instancePath, key) {
  const segments = instancePath === "" ? [] : instancePath.slice(1).split("/").map(decodePointerSegment);
  if (key !== void 0) segments.push(key);
  let node = parsed.doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (isAlias(node)) node = node.resolve(parsed.doc);
    const wantKey = key !== void 0 && i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) return node;
      node = wantKey ? pair.key : pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === void 0) return node;
      node = item;
    } else {
      return node ?? void 0;
    }
  }
  return node ?? void 0;
}
function positionOf2(parsed, instancePath, key) {
  const node = nodeAt(parsed, instancePath, key);
  const offset = node?.range?.[0];
  return offset === void 0 ? { line: 1, column: 1 } : positionAt(parsed.lineCounter, offset);
}

// src/repo/schema.ts
var EXPECTED = {
  "": 'a map of fields such as "title: Enable auditd"',
  title: "a non-empty string",
  description: "a string",
  platform: "one of WINDOWS, LINUX, UNIX, MAC",
  severity: "an integer from 1 to 5",
  threshold: "a whole number of 1 or more",
  thresholdTimeUnit: "one of SECOND, MINUTE, HOUR",
  typeId: "a positive integer (an id from your CAR tenant)",
  languageId: "a positive integer (an id from your CAR tenant)",
  categoryId: "a positive integer (an id from your CAR tenant)",
  scriptApprovalUserConsent: "true or false",
  parameters: "a map of parameter names to default values",
  "parameters/*": "a string, number or boolean",
  autorScriptsMetadata: "a map with cid and tech, and optionally policies, displayName and subType",
  "autorScriptsMetadata/cid": 'a control ID number such as "994911"',
  "autorScriptsMetadata/tech": 'a non-empty list of strings such as "Ubuntu 20.x"',
  "autorScriptsMetadata/tech/*": "a non-empty string",
  "autorScriptsMetadata/policies": "a list of strings",
  "autorScriptsMetadata/policies/*": "a non-empty string",
  "autorScriptsMetadata/displayName": "a string",
  "autorScriptsMetadata/subType": "Response or Detection"
};
function pathSegments(instancePath) {
  return instancePath === "" ? [] : instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function expectedAt(segments) {
  const generic = segments.map((segment, i) => i > 0 && (segments[0] === "parameters" || /^\d+$/.test(segment)) ? "*" : segment);
  return EXPECTED[generic.join("/")] ?? "a valid value";
}
function fieldLabel(segments) {
  return segments.reduce((label, segment) => /^\d+$/.test(segment) ? `${label}[${segment}]` : label ? `${label}.${segment}` : segment, "");
}
function describeValue(value) {
  if (value === null || value === void 0) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
function fileName(file) {
  return file.slice(file.lastIndexOf("/") + 1);
}
function unknownFieldMessage(error2, kind, file) {
  const key = error2.params.additionalProperty;
  if (kind === "defaults" && error2.instancePath === "" && key === "title") {
    return "title is not allowed in defaults.yaml: titles must be unique, so every meta.yaml sets its own";
  }
  const known = Object.keys(error2.parentSchema.properties ?? {});
  const where = error2.instancePath === "" ? "" : ` in ${fieldLabel(pathSegments(error2.instancePath))}`;
  const hint = didYouMean(key, known);
  if (hint !== void 0) return `unknown field "${key}"${where}: did you mean ${hint}?`;
  return `unknown field "${key}"${where} of ${fileName(file)}; the fields are ${known.join(", ")}`;
}
function valueMessage(error2, file, kind) {
  const segments = pathSegments(error2.instancePath);
  const value = error2.data;
  if (segments.length === 0) {
    if (value === null && kind === "meta") return "meta.yaml is empty; it needs at least a title";
    return `${fileName(file)} must be ${EXPECTED[""]}, got ${describeValue(value)}`;
  }
  let message = `${fieldLabel(segments)} must be ${expectedAt(segments)}, got ${describeValue(value)}`;
  const allowed = error2.parentSchema.enum;
  if (allowed && typeof value === "string") {
    const hint = didYouMean(value, allowed.map(String));
    if (hint !== void 0) message += `: did you mean ${hint}?`;
  }
  return message;
}
function schemaProblems(parsed, kind) {
  const validate = validators[kind];
  if (kind === "defaults" && (parsed.value === null || parsed.value === void 0)) return [];
  if (validate(parsed.value)) return [];
  const problems = [];
  const seenValuePaths = /* @__PURE__ */ new Set();
  const at = (instancePath, message, key) => {
    problems.push({ file: parsed.file, ...positionOf2(parsed, instancePath, key), message });
  };
  for (const error2 of validate.errors ?? []) {
    if (error2.propertyName !== void 0) continue;
    switch (error2.keyword) {
      case "additionalProperties": {
        const key = error2.params.additionalProperty;
        at(error2.instancePath, unknownFieldMessage(error2, kind, parsed.file), key);
        break;
      }
      case "required": {
        const missing = error2.params.missingProperty;
        const where = error2.instancePath === "" ? "" : ` in ${fieldLabel(pathSegments(error2.instancePath))}`;
        at(error2.instancePath, `missing required field "${missing}"${where}`);
        break;
      }
      case "propertyNames":
        at(error2.instancePath, "parameter names must not be empty", error2.params.propertyName);
        break;
      default:
        if (seenValuePaths.has(error2.instancePath)) break;
        seenValuePaths.add(error2.instancePath);
        at(error2.instancePath, valueMessage(error2, parsed.file, kind));
    }
  }
  return problems;
}

// src/repo/read.ts
function readMetadataFile(file, content, kind) {
  const encoding = encodingProblems(file, content);
  if (encoding.length > 0) return { valid: false, problems: encoding };
  const { parsed, problems: syntax } = parseYaml(content.toString("utf8"), file);
  if (syntax.length > 0) return { parsed, valid: false, problems: syntax };
  const schema = schemaProblems(parsed, kind);
  return { parsed, valid: schema.length === 0, problems: schema };
}
async function readRepositoryFiles(files) {
  const results = /* @__PURE__ */ new Map();
  const problems = [];
  for (const file of files) {
    let content;
    try {
      content = readFileSync2(file.absolutePath);
    } catch (err) {
      problems.push({ file: file.path, line: 1, column: 1, message: `cannot be read: ${err.message}` });
      continue;
    }
    const result = { file, content };
    if (file.kind === "script") result.check = scriptContentProblems(file.path, content);
    else result.metadata = readMetadataFile(file.path, content, file.kind);
    results.set(file.path, result);
  }
  return { results, problems };
}

// src/repo/validate.ts
import path10 from "node:path";
function folderProblems(folder) {
  const problems = [];
  const [first, ...others] = folder.scripts;
  if (first !== void 0 && others.length > 0) {
    const names = folder.scripts.map((s) => path10.posix.basename(s)).join(" and ");
    problems.push({ file: first, line: 1, column: 1, message: `two scripts in one folder (${names}); a folder holds one script: move the other into a folder of its own` });
  }
  if (folder.metaPath === void 0) {
    for (const script of folder.scripts) {
      problems.push({ file: script, line: 1, column: 1, message: "no meta.yaml beside this script; add one with at least a title" });
    }
  } else if (first === void 0) {
    problems.push({ file: folder.metaPath, line: 1, column: 1, message: "no script.sh or script.ps1 beside this meta.yaml" });
  }
  return problems;
}
function problemAt(parsed, field, message) {
  return { file: parsed.file, ...positionOf2(parsed, `/${field}`), message };
}
function mergedFieldProblems(merged, scriptPath, metaPath) {
  const problems = [];
  const forScript = (field) => merged.source[field].file === metaPath ? "" : ` for ${scriptPath}`;
  const platform2 = merged.fields.platform;
  if (platform2 !== void 0) {
    const name = path10.posix.basename(scriptPath);
    if (defaultPlatform(scriptPath) === "WINDOWS" && platform2 !== "WINDOWS") {
      problems.push(problemAt(merged.source.platform, "platform", `platform ${platform2} does not fit ${name}${forScript("platform")}: a PowerShell script runs on WINDOWS`));
    } else if (defaultPlatform(scriptPath) !== "WINDOWS" && platform2 === "WINDOWS") {
      problems.push(problemAt(merged.source.platform, "platform", `platform WINDOWS does not fit ${name}${forScript("platform")}: a shell script runs on LINUX, UNIX or MAC; write script.ps1 for Windows`));
    }
  }
  const hasThreshold = merged.fields.threshold !== void 0;
  const hasUnit = merged.fields.thresholdTimeUnit !== void 0;
  if (hasThreshold && !hasUnit) {
    problems.push(problemAt(merged.source.threshold, "threshold", `threshold needs thresholdTimeUnit (SECOND, MINUTE or HOUR) beside it${forScript("threshold")}`));
  } else if (hasUnit && !hasThreshold) {
    problems.push(problemAt(merged.source.thresholdTimeUnit, "thresholdTimeUnit", `thresholdTimeUnit has no threshold to apply to${forScript("thresholdTimeUnit")}; set threshold too`));
  }
  return problems;
}
function duplicateTitleProblems(metas) {
  const byTitle = /* @__PURE__ */ new Map();
  for (const parsed of metas) {
    const title = parsed.value?.title;
    if (typeof title !== "string" || title.trim() === "") continue;
    const key = title.trim().toLowerCase();
    const group2 = byTitle.get(key);
    if (group2) group2.push(parsed);
    else byTitle.set(key, [parsed]);
  }
  const problems = [];
  for (const group2 of byTitle.values()) {
    if (group2.length < 2) continue;
    for (const parsed of group2) {
      const others = group2.filter((other) => other !== parsed).map((other) => other.file).join(", ");
      const title = parsed.value.title;
      problems.push(problemAt(parsed, "title", `title "${title}" is also used by ${others}; titles must be unique (ignoring case)`));
    }
  }
  return problems;
}

// src/repo/load.ts
function folderOf(file) {
  const folder = path11.posix.dirname(file);
  return folder === "." ? "" : folder;
}
function groupByFolder(files, read) {
  const folders = /* @__PURE__ */ new Map();
  for (const file of files) {
    if (file.kind === "defaults" || !read.has(file.path)) continue;
    const folderPath = folderOf(file.path);
    let folder = folders.get(folderPath);
    if (!folder) folders.set(folderPath, folder = { path: folderPath, scripts: [] });
    if (file.kind === "script") folder.scripts.push(file.path);
    else folder.metaPath = file.path;
  }
  return folders;
}
async function loadRepository(root, scriptsDir) {
  const discovery = await discoverFiles(root, scriptsDir);
  const problems = [...discovery.problems];
  const warnings = [];
  if (!discovery.scriptsDirFound) return { scripts: [], problems, warnings };
  if (!discovery.files.some((file) => file.kind === "script")) {
    warnings.push({ file: discovery.scriptsDir || ".", line: 1, column: 1, message: "no script.sh or script.ps1 found in this folder or below it" });
  }
  const { results: read, problems: readProblems } = await readRepositoryFiles(discovery.files);
  problems.push(...readProblems);
  for (const result of read.values()) {
    problems.push(...result.metadata?.problems ?? result.check?.problems ?? []);
    warnings.push(...result.check?.warnings ?? []);
  }
  const defaultsByFolder = /* @__PURE__ */ new Map();
  for (const { file, metadata } of read.values()) {
    if (file.kind !== "defaults" || !metadata) continue;
    const parsed = metadata.parsed ?? parseYaml("", file.path).parsed;
    const fields = metadata.valid && parsed.value ? parsed.value : {};
    const folder = folderOf(file.path);
    defaultsByFolder.set(folder, { parsed, fields, folder, valid: metadata.valid });
  }
  const metas = [];
  const candidates = [];
  for (const folder of groupByFolder(discovery.files, read).values()) {
    problems.push(...folderProblems(folder));
    if (folder.metaPath === void 0) continue;
    const meta2 = read.get(folder.metaPath).metadata;
    if (meta2.parsed) metas.push(meta2.parsed);
    const scriptPath = folder.scripts[0];
    if (!meta2.valid || !meta2.parsed || folder.scripts.length !== 1 || scriptPath === void 0) continue;
    const chain = defaultsChain(folder.path, discovery.scriptsDir, defaultsByFolder);
    if (chain.some((defaults3) => !defaults3.valid)) continue;
    const merged = mergeLayers([...chain, { parsed: meta2.parsed, fields: meta2.parsed.value }]);
    const mergedProblems = mergedFieldProblems(merged, scriptPath, folder.metaPath);
    problems.push(...mergedProblems);
    if (mergedProblems.length > 0) continue;
    const content = read.get(scriptPath).content;
    const scriptMeta = toScriptMeta(merged.fields, scriptPath);
    candidates.push({ path: scriptPath, metaPath: folder.metaPath, content, meta: scriptMeta, hash: scriptHash(scriptMeta, content) });
  }
  problems.push(...duplicateTitleProblems(metas));
  const filesWithProblems = new Set(problems.map((problem) => problem.file));
  const scripts = candidates.filter((script) => !filesWithProblems.has(script.path) && !filesWithProblems.has(script.metaPath)).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  problems.sort(compareProblems);
  warnings.sort(compareProblems);
  return { scripts, problems, warnings };
}

// src/sync.ts
function stateFilePath(config) {
  return path12.join(config.root, ...config.stateFile.split("/"));
}
async function prepare(config, options = {}) {
  const [repository, stateOrProblems] = await Promise.all([
    loadRepository(config.root, config.scriptsDir),
    readStateFile(stateFilePath(config), config.stateFile).catch((err) => {
      if (err instanceof InvalidRepositoryError) return err;
      throw err;
    })
  ]);
  const problems = [...repository.problems];
  if (stateOrProblems instanceof InvalidRepositoryError) problems.push(...stateOrProblems.problems);
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  const localState = stateOrProblems;
  const state = options.mergeState ? await options.mergeState(localState) : localState;
  return {
    scripts: repository.scripts,
    state,
    plan: planSync(repository.scripts, state, { force: config.force }),
    warnings: repository.warnings
  };
}
function plannedWriteCalls(plan) {
  return plan.counts.create + plan.counts.update;
}
async function sync(config, prepared, deps = {}) {
  const car = plannedWriteCalls(prepared.plan) > 0 && !deps.client ? requireCar(config) : void 0;
  const makeClient = deps.client ?? (() => new CarHttpClient({ settings: car, concurrency: config.concurrency, log: deps.log }));
  const persist = deps.persist ?? ((state) => writeStateFile(stateFilePath(config), state));
  const journal = new StateJournal(prepared.state, persist);
  let client;
  const lazyClient = {
    createScript: (body, signal) => (client ??= makeClient()).createScript(body, signal),
    updateScript: (id, body, signal) => (client ??= makeClient()).updateScript(id, body, signal)
  };
  try {
    const result = await applyPlan(prepared.plan, {
      client: lazyClient,
      journal,
      // One action more than the client lets into flight: it writes its intent while the others'
      // calls run, so a slot that frees never waits for the disk (~5 ms per call otherwise).
      concurrency: config.concurrency + 1,
      maxWrites: config.maxWrites,
      stop: deps.stop,
      graceMs: deps.graceMs,
      log: deps.log,
      updateComment: deps.updateComment ? (action) => deps.updateComment(action.path) : void 0
    });
    return { ...result, state: journal.current() };
  } finally {
    await client?.close?.();
  }
}

// src/action/context.ts
import { readFileSync as readFileSync3 } from "node:fs";
function readPayload(file) {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync3(file, "utf8"));
  } catch {
    return {};
  }
}
function readWorkflowContext(env = process.env) {
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  const repository = env.GITHUB_REPOSITORY ?? "";
  const headRepo = pr?.head?.repo?.full_name;
  const branch = pr ? pr.base?.ref ?? env.GITHUB_BASE_REF : env.GITHUB_REF_TYPE === "tag" || env.GITHUB_REF?.startsWith("refs/tags/") ? void 0 : env.GITHUB_REF_NAME || env.GITHUB_REF?.replace(/^refs\/heads\//, "");
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return {
    eventName,
    repository,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    pullRequest: pr?.number,
    fromFork: headRepo !== void 0 && headRepo !== repository,
    branch: branch || void 0,
    sha: env.GITHUB_SHA,
    runUrl: env.GITHUB_RUN_ID && repository ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : void 0
  };
}

// src/action/inputs.ts
var PULL_REQUEST_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
var SECRET_INPUTS = ["password", "token", "github-token"];
function choice(name, value, accepted) {
  if (accepted.includes(value)) return value;
  throw new ConfigError(name, `"${value}" is not accepted; expected one of ${accepted.join(", ")}`);
}
function readActionSettings(eventName, workspace) {
  for (const name of SECRET_INPUTS) {
    const value = getInput(name);
    if (value) setSecret(value);
  }
  const raw = {
    root: workspace,
    "scripts-dir": getInput("scripts-dir"),
    "state-file": getInput("state-file"),
    platform: getInput("platform"),
    "base-url": getInput("base-url"),
    username: getInput("username"),
    password: getInput("password"),
    token: getInput("token"),
    concurrency: getInput("concurrency"),
    "max-writes": getInput("max-writes"),
    force: getInput("force")
  };
  const config = resolveConfig(raw, workspace);
  const modeInput = choice("mode", getInput("mode") || "auto", ["auto", "plan", "apply"]);
  const mode = modeInput === "auto" ? PULL_REQUEST_EVENTS.has(eventName) ? "plan" : "apply" : modeInput;
  return {
    config,
    mode,
    commit: choice("commit", getInput("commit") || "push", ["push", "pull-request", "none"]),
    githubToken: getInput("github-token"),
    comment: getInput("comment") === "" ? true : parseBoolean("comment", getInput("comment")),
    issueOnFailure: parseBoolean("issue-on-failure", getInput("issue-on-failure"))
  };
}

// src/action/pending-commit.ts
var KEY = "pending-commit";
function savePendingCommit(pending) {
  saveState(KEY, JSON.stringify(pending));
}
function clearPendingCommit() {
  saveState(KEY, "");
}

// src/github/remote-file.ts
async function readRemoteFile(gh, options) {
  const doing = `read ${options.path} at "${options.ref}"`;
  let data;
  try {
    ({ data } = await gh.octokit.rest.repos.getContent({ owner: gh.owner, repo: gh.repo, path: options.path, ref: options.ref }));
  } catch (err) {
    if (statusOf(err) === 404) return void 0;
    throw gitHubError(gh, doing, err);
  }
  const file = data;
  if (Array.isArray(data) || file.type !== "file" || typeof file.sha !== "string") {
    throw new GitHubError(`Could not ${doing} in ${gh.owner}/${gh.repo}: it is not a file; the state file must be a JSON file.`, 0);
  }
  if (file.encoding === "base64" && typeof file.content === "string") {
    return { text: Buffer.from(file.content, "base64").toString("utf8"), sha: file.sha };
  }
  try {
    const { data: blob } = await gh.octokit.rest.git.getBlob({ owner: gh.owner, repo: gh.repo, file_sha: file.sha });
    return { text: Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8").toString("utf8"), sha: file.sha };
  } catch (err) {
    throw gitHubError(gh, doing, err);
  }
}

// src/github/state-commit.ts
var SKIP_CI = "[skip ci]";
var defaultSleep = (ms) => new Promise((resolve2) => setTimeout(resolve2, ms));
function isRuleViolation(err) {
  return /rule violation|protected branch|through a pull request/i.test(gitHubMessageOf(err));
}
function isRetryable(status) {
  return status === 409 || status === 422 || status === 0 || status >= 500;
}
function hintFor(status, branch) {
  if (status === 403) return "The workflow needs `permissions: contents: write`; a pull request from a fork can never write.";
  if (status === 404) return `Check that the branch "${branch}" exists and that the token can see the repository.`;
  return void 0;
}
async function commitStateFile(gh, options) {
  const { path: path13, branch, render } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoffMs2 = options.backoffMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;
  const message = options.message.includes(SKIP_CI) ? options.message : `${options.message.trimEnd()} ${SKIP_CI}`;
  const doing = `commit ${path13} to "${branch}"`;
  let outcomeUnknown2 = false;
  let lastError;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const remote = await readRemoteFile(gh, { path: path13, ref: branch });
    const text = render(remote?.text);
    if (text === void 0 || text === remote?.text) return { changed: outcomeUnknown2, attempts: attempt };
    try {
      const { data } = await gh.octokit.rest.repos.createOrUpdateFileContents({
        owner: gh.owner,
        repo: gh.repo,
        path: path13,
        branch,
        message,
        content: Buffer.from(text, "utf8").toString("base64"),
        ...remote ? { sha: remote.sha } : {}
      });
      return { changed: true, attempts: attempt, ...data.commit.sha ? { commitSha: data.commit.sha } : {} };
    } catch (err) {
      const status = statusOf(err);
      if (isRuleViolation(err)) {
        throw gitHubError(gh, doing, err, "The branch only takes changes through pull requests: set `commit: pull-request`.");
      }
      if (!isRetryable(status)) throw gitHubError(gh, doing, err, hintFor(status, branch));
      lastError = err;
      if (status === 0 || status >= 500) outcomeUnknown2 = true;
    }
    if (attempt < maxAttempts) await sleep(backoffMs2 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
  const raced = statusOf(lastError) === 409 || statusOf(lastError) === 422;
  throw gitHubError(
    gh,
    `${doing} after ${maxAttempts} attempts`,
    lastError,
    raced ? "The file kept changing between read and write: make every car-sync workflow share one `concurrency` group." : void 0
  );
}

// src/github/branches.ts
async function getDefaultBranch(gh) {
  try {
    const { data } = await gh.octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo });
    return data.default_branch;
  } catch (err) {
    throw gitHubError(gh, "read the repository", err);
  }
}
async function getBranchSha(gh, branch) {
  try {
    const { data } = await gh.octokit.rest.git.getRef({ owner: gh.owner, repo: gh.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (err) {
    if (statusOf(err) === 404) return void 0;
    throw gitHubError(gh, `read the branch "${branch}"`, err);
  }
}
async function createBranch(gh, branch, sha) {
  try {
    await gh.octokit.rest.git.createRef({ owner: gh.owner, repo: gh.repo, ref: `refs/heads/${branch}`, sha });
    return true;
  } catch (err) {
    if (statusOf(err) === 422 && /already exists/i.test(gitHubMessageOf(err))) return false;
    throw gitHubError(gh, `create the branch "${branch}"`, err, statusOf(err) === 403 ? "The workflow needs `permissions: contents: write`." : void 0);
  }
}
async function resetBranch(gh, branch, sha) {
  try {
    await gh.octokit.rest.git.updateRef({ owner: gh.owner, repo: gh.repo, ref: `heads/${branch}`, sha, force: true });
  } catch (err) {
    throw gitHubError(gh, `reset the branch "${branch}"`, err, statusOf(err) === 403 ? "The workflow needs `permissions: contents: write`." : void 0);
  }
}

// src/github/state-pull-request.ts
var STATE_BRANCH = "car-sync/state";
var DEFAULT_TITLE = "car-sync: record CAR script ids";
var DEFAULT_BODY = "car-sync recorded the ids that CAR gave to scripts of this repository. The branch is protected, so the state file comes as this pull request: merge it to keep the ids in the repository.";
async function findOpenPullRequest(gh, branch, base) {
  try {
    const { data } = await gh.octokit.rest.pulls.list({ owner: gh.owner, repo: gh.repo, head: `${gh.owner}:${branch}`, base, state: "open", per_page: 100 });
    const found = data[0];
    return found ? { number: found.number, html_url: found.html_url } : void 0;
  } catch (err) {
    throw gitHubError(gh, `look for an open pull request from "${branch}"`, err);
  }
}
async function openPullRequest(gh, branch, base, title, body) {
  try {
    const { data } = await gh.octokit.rest.pulls.create({ owner: gh.owner, repo: gh.repo, head: branch, base, title, body });
    return { number: data.number, html_url: data.html_url };
  } catch (err) {
    if (statusOf(err) === 422 && /already exists/i.test(gitHubMessageOf(err))) {
      const found = await findOpenPullRequest(gh, branch, base);
      if (found) return found;
    }
    const hint = statusOf(err) === 403 ? `The state is safe on the branch "${branch}". To let the workflow open the pull request, enable "Allow GitHub Actions to create and approve pull requests" (Settings > Actions > General) and grant \`permissions: pull-requests: write\`; or open it by hand.` : `The state is safe on the branch "${branch}"; open the pull request by hand.`;
    throw gitHubError(gh, `open a pull request from "${branch}" into "${base}"`, err, hint);
  }
}
async function commitStateViaPullRequest(gh, options) {
  const branch = options.branch ?? STATE_BRANCH;
  const base = options.base ?? await getDefaultBranch(gh);
  const baseSha = await getBranchSha(gh, base);
  if (baseSha === void 0) throw new GitHubError(`Could not find the branch "${base}" in ${gh.owner}/${gh.repo} to base the state pull request on.`, 404);
  const open2 = await findOpenPullRequest(gh, branch, base);
  const branchSha = await getBranchSha(gh, branch);
  if (branchSha === void 0) await createBranch(gh, branch, baseSha);
  else if (!open2 && branchSha !== baseSha) await resetBranch(gh, branch, baseSha);
  const { path: path13, message, render, maxAttempts, backoffMs: backoffMs2, sleep } = options;
  const commit = await commitStateFile(gh, { path: path13, message, render, maxAttempts, backoffMs: backoffMs2, sleep, branch });
  const title = options.title ?? DEFAULT_TITLE;
  const body = options.body ?? DEFAULT_BODY;
  const result = { changed: commit.changed, branch, attempts: commit.attempts, ...commit.commitSha ? { commitSha: commit.commitSha } : {} };
  if (open2) {
    if (!commit.changed) return { ...result, action: "none", pullNumber: open2.number, url: open2.html_url };
    try {
      await gh.octokit.rest.pulls.update({ owner: gh.owner, repo: gh.repo, pull_number: open2.number, title, body });
    } catch (err) {
      throw gitHubError(gh, `update pull request #${open2.number}`, err);
    }
    return { ...result, action: "updated", pullNumber: open2.number, url: open2.html_url };
  }
  if (!commit.changed) return { ...result, action: "none" };
  const created = await openPullRequest(gh, branch, base, title, body);
  return { ...result, action: "created", pullNumber: created.number, url: created.html_url };
}

// src/plan/merge-state.ts
function pick(local, remote) {
  if (local.id === void 0 && remote.id !== void 0) return { ...remote };
  return { ...local };
}
function mergeStateFiles(local, remote) {
  const scripts = {};
  const conflicts = [];
  const localPathOfId = /* @__PURE__ */ new Map();
  for (const [path13, entry] of Object.entries(local.scripts)) {
    if (entry.id !== void 0) localPathOfId.set(entry.id, path13);
  }
  for (const [path13, entry] of Object.entries(local.scripts)) scripts[path13] = { ...entry };
  for (const [path13, remoteEntry] of Object.entries(remote.scripts)) {
    const localPath = remoteEntry.id === void 0 ? void 0 : localPathOfId.get(remoteEntry.id);
    if (localPath !== void 0 && localPath !== path13) continue;
    const localEntry = local.scripts[path13];
    if (!localEntry) {
      scripts[path13] = { ...remoteEntry };
      continue;
    }
    if (localEntry.id !== void 0 && remoteEntry.id !== void 0 && localEntry.id !== remoteEntry.id) {
      conflicts.push({ path: path13, localId: localEntry.id, remoteId: remoteEntry.id });
      continue;
    }
    scripts[path13] = pick(localEntry, remoteEntry);
  }
  const sorted = {};
  for (const path13 of Object.keys(scripts).sort()) sorted[path13] = scripts[path13];
  conflicts.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { merged: { version: 1, scripts: sorted }, conflicts };
}
var StateConflictError = class extends Error {
  constructor(stateFile, conflicts) {
    super(
      conflicts.map(
        (c) => `${stateFile}: "${c.path}" is recorded with id ${c.localId} by this run and with id ${c.remoteId} on GitHub, so CAR holds two scripts for it. Delete the duplicate in CAR, then record the one you keep with \`car-sync adopt ${c.path} <id>\` on the branch.`
      ).join("\n")
    );
    this.stateFile = stateFile;
    this.conflicts = conflicts;
    this.name = "StateConflictError";
  }
  stateFile;
  conflicts;
};
function renderMergedState(local, stateFile, options = {}) {
  return (remoteText) => {
    if (remoteText === void 0) return serializeState(local);
    const remote = parseState(remoteText, options.remoteLabel ?? stateFile);
    options.pruneRemote?.(remote);
    const { merged, conflicts } = mergeStateFiles(local, remote);
    if (conflicts.length > 0) throw new StateConflictError(stateFile, conflicts);
    return serializeState(merged);
  };
}

// src/action/state-of-record.ts
function recordBranches(target) {
  return target.commit === "pull-request" ? [target.branch, STATE_BRANCH] : [target.branch];
}
async function readStateOfRecord(gh, target, workspace) {
  let record = workspace;
  for (const branch of recordBranches(target)) {
    const remote = await readRemoteFile(gh, { path: target.path, ref: branch });
    if (!remote) continue;
    const { merged, conflicts } = mergeStateFiles(parseState(remote.text, `${target.path} on ${branch}`), record);
    if (conflicts.length > 0) {
      throw new StateConflictError(`${target.path} on ${branch}`, conflicts.map((c) => ({ path: c.path, localId: c.remoteId, remoteId: c.localId })));
    }
    record = merged;
  }
  return record;
}
var StateRecordWriter = class {
  constructor(gh, target, reserved = []) {
    this.gh = gh;
    this.target = target;
    for (const path13 of reserved) this.reserved.add(path13);
  }
  gh;
  target;
  reserved = /* @__PURE__ */ new Set();
  render(local) {
    return renderMergedState(local, this.target.path, {
      remoteLabel: `${this.target.path} on GitHub`,
      pruneRemote: (remote) => {
        for (const path13 of this.reserved) {
          if (remote.scripts[path13]?.id === void 0 && !local.scripts[path13]) delete remote.scripts[path13];
        }
      }
    });
  }
  async commit(local, message) {
    const options = { path: this.target.path, message, render: this.render(local) };
    if (this.target.commit === "pull-request") {
      const result2 = await commitStateViaPullRequest(this.gh, { ...options, base: this.target.branch });
      return { changed: result2.changed, commitSha: result2.commitSha, pullRequestUrl: result2.url };
    }
    const result = await commitStateFile(this.gh, { ...options, branch: this.target.branch });
    return { changed: result.changed, commitSha: result.commitSha };
  }
  /**
   * Records on GitHub, before they are sent, the creates that may happen next: `paths` and up to
   * `ahead` more of `upcoming`. A runner that dies mid-apply then leaves intents behind, and the
   * next run reports them unresolved instead of creating them again. Reserving a few ahead costs
   * one commit per batch rather than one per create.
   */
  async reserve(local, paths, upcoming, ahead, onReserved) {
    const batch = [...paths];
    const withIntents = { version: 1, scripts: { ...local.scripts } };
    const now = (/* @__PURE__ */ new Date()).toISOString();
    for (const action of upcoming) {
      if (batch.length >= paths.length + ahead) break;
      if (this.reserved.has(action.path) || batch.includes(action.path) || local.scripts[action.path] || !action.script) continue;
      batch.push(action.path);
      withIntents.scripts[action.path] = { hash: action.script.hash, title: action.script.meta.title, intent: now };
    }
    for (const path13 of batch) this.reserved.add(path13);
    onReserved?.([...this.reserved]);
    await this.commit(withIntents, `car-sync: intents for ${batch.length} script create(s) about to be sent`);
  }
};

// src/action/summary.ts
var ANNOTATION_LIMIT = 10;
function annotate(problems, warnings, reservedErrors = 0) {
  const emit = (list, kind, limit) => {
    for (const p of list.slice(0, limit)) {
      core_exports[kind](p.message, { title: "car-sync", file: p.file, startLine: p.line, startColumn: p.column });
    }
    if (list.length > limit) info(`${list.length - limit} more ${kind}s are listed in the job summary.`);
  };
  emit(problems, "error", ANNOTATION_LIMIT - reservedErrors);
  emit(warnings, "warning", ANNOTATION_LIMIT);
}
function setOutputs({ plan, applied, stateChanged, commitSha }) {
  const done = (action) => applied?.results.filter((r) => r.action === action && r.outcome === "done").length;
  const counts = plan?.counts;
  setOutput("created", done("create") ?? counts?.create ?? 0);
  setOutput("updated", done("update") ?? counts?.update ?? 0);
  setOutput("unchanged", counts?.unchanged ?? 0);
  setOutput("failed", applied?.results.filter((r) => r.outcome === "failed").length ?? 0);
  setOutput("unresolved", applied?.results.filter((r) => r.outcome === "unresolved").length ?? counts?.unresolved ?? 0);
  setOutput("plan", plan ? JSON.stringify(planJson(plan, applied)) : '{"actions":[]}');
  setOutput("state-changed", stateChanged ? "true" : "false");
  setOutput("commit-sha", commitSha ?? "");
}

// src/action/run.ts
var RESERVE_AHEAD = 10;
var CANCEL_GRACE_MS = 5e3;
function changedStateText(state, workspaceText) {
  const text = serializeState(state);
  if (text === workspaceText) return void 0;
  if (workspaceText === void 0 && Object.keys(state.scripts).length === 0) return void 0;
  return text;
}
function describe2(err) {
  return err instanceof Error ? err.message : String(err);
}
async function writeSummary(report) {
  await summary.addRaw(renderMarkdown(report), true).write();
}
async function commentOnPullRequest(gh, ctx, settings, report) {
  if (!gh || !settings.comment || ctx.pullRequest === void 0) return void 0;
  const marker = commentMarker(settings.config.stateFile);
  try {
    const outcome = await upsertPullRequestComment(gh, { issueNumber: ctx.pullRequest, marker, body: renderComment(report, settings.config.stateFile, ctx.runUrl) });
    if (outcome.action === "forbidden") {
      const why = ctx.fromFork ? "this pull request comes from a fork, whose token cannot write" : outcome.message;
      warning(`The plan was not posted as a comment: ${why}. It is in the job summary.`);
      return "The plan could not be posted as a pull-request comment (read-only token); this summary is the plan.";
    }
    info(`Plan comment ${outcome.action}: ${outcome.url}`);
  } catch (err) {
    warning(`The plan was not posted as a comment: ${describe2(err)}`);
  }
  return void 0;
}
function stopOnSignal() {
  const stop = new AbortController();
  const onSignal = () => {
    warning("Cancelled: no new CAR calls; finishing those in flight and committing the state.");
    stop.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return stop.signal;
}
async function failValidation(err, gh, ctx, settings) {
  annotate(err.problems, [], 1);
  const report = { heading: `car-sync: ${err.problems.length} problem(s) in the repository`, problems: err.problems };
  const note = settings.mode === "plan" ? await commentOnPullRequest(gh, ctx, settings, report) : void 0;
  await writeSummary({ ...report, notes: note ? [note] : [] });
  setOutputs({ stateChanged: false });
  setFailed(`${err.problems.length} problem(s) found; nothing was sent to CAR. They are annotated on the files and listed in the job summary.`);
}
async function applyAndCommit(settings, prepared, gh, target, workspaceText, runUrl) {
  const { config } = settings;
  const localFile = stateFilePath(config);
  const writer = gh && target && settings.commit !== "none" ? new StateRecordWriter(gh, target) : void 0;
  const startIntents = new Set(Object.keys(prepared.state.scripts).filter((p) => prepared.state.scripts[p].id === void 0));
  const upcoming = prepared.plan.actions.filter((a) => a.action === "create");
  if (target && settings.commit !== "none") {
    if (changedStateText(prepared.state, workspaceText) !== void 0) await writeStateFile(localFile, prepared.state);
    savePendingCommit({ target, reserved: [] });
  }
  const persist = async (state) => {
    await writeStateFile(localFile, state);
    if (!writer || !target) return;
    const fresh = Object.keys(state.scripts).filter((p) => state.scripts[p].id === void 0 && !startIntents.has(p) && !writer.reserved.has(p));
    if (fresh.length > 0) await writer.reserve(state, fresh, upcoming, RESERVE_AHEAD, (reserved) => savePendingCommit({ target, reserved }));
  };
  startGroup("Apply");
  const result = await sync(config, prepared, {
    persist,
    stop: stopOnSignal(),
    graceMs: CANCEL_GRACE_MS,
    log: (m) => info(m),
    updateComment: (path13) => `car-sync: ${path13} changed${process.env.GITHUB_SHA ? ` in ${process.env.GITHUB_SHA.slice(0, 12)}` : ""}`
  });
  const stateChanged = changedStateText(result.state, workspaceText) !== void 0;
  if (stateChanged) await writeStateFile(localFile, result.state);
  info(renderText(prepared.plan, result));
  endGroup();
  const notes = [];
  let commit;
  let commitError;
  if (writer) {
    startGroup("Commit the state file");
    try {
      commit = await writer.commit(result.state, "car-sync: record CAR script ids");
      clearPendingCommit();
      if (commit.commitSha) notes.push(`State committed: ${commit.commitSha}${commit.pullRequestUrl ? ` (pull request ${commit.pullRequestUrl})` : ""}.`);
      else if (!commit.changed) notes.push("The state file on GitHub was already up to date.");
    } catch (err) {
      commitError = describe2(err);
      notes.push(`The state file could not be committed: ${commitError}. The ids are in the table below and in the workspace's ${config.stateFile}.`);
    }
    endGroup();
  } else if (settings.commit !== "none") {
    const why = !gh ? "no github-token was given" : "the run is not on a branch (a tag?)";
    notes.push(`The state file was not committed: ${why}; it is left in the workspace's ${config.stateFile}.`);
    warning(`The state file was not committed: ${why}. Commit ${config.stateFile} yourself, or ids CAR gave will be missing from the repository.`);
  }
  const succeeded = applySucceeded(result);
  await writeSummary({ heading: `car-sync apply: ${config.stateFile}`, plan: prepared.plan, applied: result, warnings: prepared.warnings, notes });
  setOutputs({ plan: prepared.plan, applied: result, stateChanged, commitSha: commit?.commitSha });
  if (gh && settings.issueOnFailure) {
    await reportOutcomeIssue(gh, succeeded && !commitError, { stateFile: config.stateFile, results: result.results, commitError, runUrl });
  }
  if (commitError) setFailed(`The state file could not be committed: ${commitError}`);
  else if (!succeeded) setFailed(result.stopped ? "The run was stopped; the state of what was done is saved." : "Some scripts failed or are unresolved; see the job summary.");
}
async function reportOutcomeIssue(gh, good, report) {
  try {
    if (good) {
      await closeScheduledFailure(gh, { comment: `car-sync synced \`${report.stateFile}\` successfully${report.runUrl ? ` in ${report.runUrl}` : ""}.` });
      return;
    }
    await reportScheduledFailure(gh, { title: failureIssueTitle(report.stateFile), body: failureIssueBody(report) });
  } catch (err) {
    warning(`Could not open or update the failure issue: ${describe2(err)}`);
  }
}
async function runAction() {
  const ctx = readWorkflowContext();
  let settings;
  try {
    settings = readActionSettings(ctx.eventName, ctx.workspace);
    if (settings.mode === "apply") requireCar(settings.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      setFailed(`Input "${err.option}": ${err.problem}`);
      return;
    }
    throw err;
  }
  const { config } = settings;
  const gh = settings.githubToken && ctx.repository ? createGitHubClient({ token: settings.githubToken, repository: ctx.repository }) : void 0;
  const target = ctx.branch ? { path: config.stateFile, branch: ctx.branch, commit: settings.commit } : void 0;
  info(`car-sync ${settings.mode} on ${ctx.eventName || "a local run"}${target ? `, state of record on "${target.branch}"` : ""}`);
  const workspaceText = await readFile(stateFilePath(config), "utf8").catch((err) => {
    if (err.code === "ENOENT") return void 0;
    throw err;
  });
  let prepared;
  startGroup("Validate and plan");
  try {
    prepared = await prepare(config, {
      mergeState: (workspace) => gh && target ? readStateOfRecord(gh, target, workspace) : workspace
    });
  } catch (err) {
    endGroup();
    if (err instanceof InvalidRepositoryError) return failValidation(err, gh, ctx, settings);
    throw err;
  }
  info(renderText(prepared.plan));
  endGroup();
  annotate([], prepared.warnings);
  if (settings.mode === "plan") {
    const report = { heading: `car-sync plan: ${config.stateFile}`, plan: prepared.plan, warnings: prepared.warnings };
    const note = await commentOnPullRequest(gh, ctx, settings, report);
    await writeSummary({ ...report, notes: note ? [note] : [] });
    setOutputs({ plan: prepared.plan, stateChanged: false });
    return;
  }
  await applyAndCommit(settings, prepared, gh, target, workspaceText, ctx.runUrl);
}

// src/index.ts
runAction().catch((err) => setFailed(err instanceof Error ? err.message : String(err)));
