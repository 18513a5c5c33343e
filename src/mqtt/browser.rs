//! The browser transport: one `WebSocket` (subprotocol `mqtt`, binary frames as
//! `ArrayBuffer`) carrying the skeleton client's bytes, and one interval for keepalive.
//! It owns its JavaScript callbacks and releases them when dropped, so a reconnect does not
//! leak handlers that keep firing on a dead socket.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

use super::client::{ClientEvent, ClientOptions, SkeletonClient};

/// What the transport reports to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionEvent {
    /// The WebSocket is open and CONNECT has been sent.
    Opened,
    Client(ClientEvent),
    /// The WebSocket closed; `code` is the WebSocket close code (1006: never opened or dropped).
    Closed {
        code: u16,
        reason: String,
    },
}

pub struct BrowserConnection {
    socket: WebSocket,
    ping_interval: Option<i32>,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _on_ping: Closure<dyn FnMut()>,
}

impl BrowserConnection {
    /// Opens the socket; events arrive through `on_event` from then on.
    pub fn open(
        url: &str,
        options: ClientOptions,
        on_event: impl Fn(ConnectionEvent) + 'static,
    ) -> Result<Self, String> {
        let socket = WebSocket::new_with_str(url, "mqtt").map_err(js_error_text)?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let keep_alive_ms = i32::from(options.keep_alive_secs) * 1000;
        let client = Rc::new(RefCell::new(SkeletonClient::new(options)));
        let on_event = Rc::new(on_event);

        let on_open = {
            let (socket, client, on_event) = (socket.clone(), client.clone(), on_event.clone());
            Closure::<dyn FnMut(Event)>::new(move |_| {
                let bytes = client.borrow().connect_bytes();
                let _ = socket.send_with_u8_array(&bytes);
                on_event(ConnectionEvent::Opened);
            })
        };
        let on_message = {
            let (socket, client, on_event) = (socket.clone(), client.clone(), on_event.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else {
                    // MQTT over WebSocket is binary only [MQTT-6.0.0-1]: a text frame is a
                    // protocol error by the broker.
                    on_event(ConnectionEvent::Client(ClientEvent::ProtocolError(
                        "the broker sent a text WebSocket frame".into(),
                    )));
                    let _ = socket.close();
                    return;
                };
                let data = js_sys::Uint8Array::new(&buffer).to_vec();
                let (reply, events) = client.borrow_mut().handle_bytes(&data);
                if !reply.is_empty() {
                    let _ = socket.send_with_u8_array(&reply);
                }
                for event in events {
                    let fatal = matches!(
                        event,
                        ClientEvent::Refused(_) | ClientEvent::ProtocolError(_)
                    );
                    on_event(ConnectionEvent::Client(event));
                    if fatal {
                        let _ = socket.close();
                    }
                }
            })
        };
        let on_close = {
            let on_event = on_event.clone();
            Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
                on_event(ConnectionEvent::Closed {
                    code: event.code(),
                    reason: event.reason(),
                });
            })
        };
        let on_ping = {
            let (socket, client) = (socket.clone(), client.clone());
            Closure::<dyn FnMut()>::new(move || {
                if socket.ready_state() == WebSocket::OPEN {
                    let _ = socket.send_with_u8_array(&client.borrow().ping_bytes());
                }
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let ping_interval = if keep_alive_ms > 0 {
            web_sys::window().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    on_ping.as_ref().unchecked_ref(),
                    keep_alive_ms,
                )
                .ok()
            })
        } else {
            None
        };
        Ok(Self {
            socket,
            ping_interval,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
            _on_ping: on_ping,
        })
    }
}

impl Drop for BrowserConnection {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
        if let (Some(window), Some(id)) = (web_sys::window(), self.ping_interval) {
            window.clear_interval_with_handle(id);
        }
    }
}

fn js_error_text(value: wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the browser refused to open the WebSocket".into())
}
