/** One view of the page: drawn once, then refreshed every second. */
export interface View {
  readonly title: string;
  /** Puts the view's fixed parts (search box, pager) into `root`. */
  mount(root: HTMLElement): void;
  /**
   * Fetches and redraws; `again` refreshes at once (after the person's action). `poll` is true when
   * the page refreshes by itself, not at the person's asking.
   */
  refresh(again: () => void, poll: boolean): Promise<void>;
}
