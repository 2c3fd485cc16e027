# `new` has no method: Rails renders articles/new.html.erb implicitly.
class ArticlesController < ApplicationController
  before_action :set_article, only: %i[show edit update destroy preview]

  def index
    @articles = Article.all
  end

  def search
    @articles = Article.where("title LIKE ?", "%#{params[:q]}%")
    render :index
  end

  def show
  end

  def preview
    render :show, layout: "preview"
  end

  def create
    @article = Article.create!(article_params)
    redirect_to @article
  end

  def edit
  end

  def update
    @article.update!(article_params)
    redirect_to @article
  end

  def destroy
    @article.destroy
    redirect_to articles_path
  end

  private

  def set_article
    @article = Article.find(params[:id])
  end

  def article_params
    params.require(:article).permit(:title, :body)
  end
end
