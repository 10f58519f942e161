// Keeps one broken page from blanking the whole app, and says what failed.
import { Component, type ReactNode } from "react";
import { commonMessages } from "../i18n/messages/common";
import { translate } from "../i18n/useT";
import { getSettings } from "../settings/settingsStore";

export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    const lang = getSettings().lang;
    return (
      <div className="error card" role="alert">
        <p>{translate(commonMessages, lang, "pageError", { message: this.state.error.message })}</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {translate(commonMessages, lang, "reload")}
        </button>
      </div>
    );
  }
}
